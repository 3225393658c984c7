using Microsoft.Extensions.Configuration;

namespace FoodOrdering.AppHost;

internal static class ServiceSettingsExtensions
{
    /// <summary>
    /// Hands the service every key the AppHost's configuration (command line, appsettings, environment) holds under
    /// <paramref name="sections"/>, as the environment variables the service's configuration reads. Added last, so a
    /// setting given on the command line wins over what the AppHost sets for its mode.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettings(this IResourceBuilder<ProjectResource> service, params string[] sections)
    {
        var configuration = service.ApplicationBuilder.Configuration;
        return service.WithEnvironment(context =>
        {
            foreach (var (key, value) in sections.SelectMany(section => configuration.GetSection(section).AsEnumerable()))
            {
                if (value is not null)
                {
                    context.EnvironmentVariables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
            }
        });
    }
}
