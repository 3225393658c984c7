namespace FoodOrdering.Operations.Analytics;

internal static class AnalyticsExtensions
{
    /// <summary>The live analytics: the figures, the reader that feeds them from the log, and their JSON.</summary>
    public static void AddLiveAnalytics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnalyticsOptions>()
            .BindConfiguration(AnalyticsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<LiveAnalytics>();
        builder.Services.AddHostedService<AnalyticsReader>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AnalyticsJsonContext.Default));
    }
}
