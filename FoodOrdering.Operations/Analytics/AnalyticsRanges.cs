namespace FoodOrdering.Operations.Analytics;

/// <summary>The time ranges the live analytics answer for, in minutes; the longest is what they hold and rebuild.</summary>
internal static class AnalyticsRanges
{
    public static IReadOnlyList<int> Minutes { get; } = [5, 15, 60];

    public static int Longest => Minutes[^1];

    public static bool IsSupported(int minutes) => Minutes.Contains(minutes);
}
