using Microsoft.AspNetCore.Http.HttpResults;

namespace FoodOrdering.Operations.Analytics;

/// <summary>The live analytics as JSON, what the analytics page draws; on the console's <c>/api</c> group, behind the operator key.</summary>
internal static class AnalyticsApi
{
    public static RouteGroupBuilder MapAnalyticsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analytics", GetAnalytics)
            .WithTags("Analytics")
            .WithName("GetAnalytics")
            .WithSummary("Revenue (order lines before fee and tax, as exact decimal strings), orders, top items, revenue by category, rejections and emails over the last 5, 15 or 60 minutes.");
        return api;
    }

    // The range arrives as text, so "sixty" gets the same field error as 10 rather than a binding failure.
    private static Results<Ok<AnalyticsView>, ValidationProblem> GetAnalytics(LiveAnalytics analytics, string? minutes)
    {
        var range = AnalyticsRanges.Minutes[0];
        return (minutes is null || int.TryParse(minutes, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out range))
            && AnalyticsRanges.IsSupported(range)
            ? TypedResults.Ok(analytics.View(range))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["minutes"] = [$"One of {string.Join(", ", AnalyticsRanges.Minutes)}."],
            });
    }
}
