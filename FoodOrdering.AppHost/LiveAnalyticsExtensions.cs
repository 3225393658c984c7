using FoodOrdering.AppHost.Containers;

namespace FoodOrdering.AppHost;

internal static class LiveAnalyticsExtensions
{
    // The console's AnalyticsOptions.KibanaDashboardUrl, as an environment variable.
    private const string KibanaDashboardVariable = $"{SettingsSections.Analytics}__KibanaDashboardUrl";

    /// <summary>
    /// Links the console's live analytics from the dashboard and, where Kibana runs (Containers mode), hands the
    /// console its dashboard's address, so the two views sit side by side.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLiveAnalytics(this IResourceBuilder<ProjectResource> console)
    {
        console.WithUrl($"{console.GetEndpoint("http")}/#analytics", "Live analytics");
        if (console.ApplicationBuilder.Resources.OfType<KibanaResource>().SingleOrDefault() is { } kibana)
        {
            console.WithEnvironment(KibanaDashboardVariable,
                ReferenceExpression.Create($"{kibana.HttpEndpoint.Property(EndpointProperty.Url)}{KibanaSavedObjects.DashboardPath}"));
        }

        return console;
    }
}
