using FoodOrdering.AppHost.Embedded;
using FoodOrdering.Contracts;

namespace FoodOrdering.AppHost;

/// <summary>The switch point between embedded, container and external infrastructure.</summary>
internal static class InfrastructureExtensions
{
    private const string ConfigurationKey = "Infrastructure";

    public static InfrastructureMode GetInfrastructureMode(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return InfrastructureMode.Embedded;
        }

        return Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException(
                $"--{ConfigurationKey} '{configured}' is not one of {string.Join(", ", Enum.GetNames<InfrastructureMode>())}.");
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddKafka(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) => mode switch
        {
            InfrastructureMode.Embedded => builder.AddEmbeddedKafka(name, Topics.All),
            InfrastructureMode.External => builder.AddConnectionString(name),
            _ => throw ContainersNotYetAvailable(),
        };

    public static IResourceBuilder<IResourceWithConnectionString> AddSmtp(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) => mode switch
        {
            InfrastructureMode.Embedded => builder.AddEmbeddedSmtp(name),
            InfrastructureMode.External => builder.AddConnectionString(name),
            _ => throw ContainersNotYetAvailable(),
        };

    private static InvalidOperationException ContainersNotYetAvailable() =>
        new("Containers mode is not available yet: run with --Infrastructure Embedded (the default) or External.");
}
