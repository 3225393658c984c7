using FoodOrdering.Operators;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FoodOrdering.Operations.Analytics;

/// <summary>The live analytics as JSON, what the analytics page draws, behind the operator key like the rest of the console.</summary>
internal static class AnalyticsApi
{
    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/analytics").WithTags("Analytics")
            .RequireOperator()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .MapGet("", GetAnalytics)
            .WithName("GetAnalytics")
            .WithSummary("Revenue (order lines before fee and tax, as exact decimal strings), orders, top items, revenue by category, rejections and emails over the last 5, 15 or 60 minutes.");
        return app;
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
