using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FoodOrdering.AppHost;

internal static class CrashedServiceRestarterExtensions
{
    /// <summary>In a run, starts a service whose process crashed again (<see cref="CrashedServiceRestarter"/>); a deployment's orchestrator does that itself.</summary>
    public static IDistributedApplicationBuilder RestartCrashedServices(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.AddOptions<ServiceRestartOptions>()
                .BindConfiguration(ServiceRestartOptions.SectionName)
                .ValidateDataAnnotations()
                .ValidateOnStart();
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddHostedService<CrashedServiceRestarter>();
        }

        return builder;
    }
}
