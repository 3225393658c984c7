using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Operations.Analytics;

/// <summary>Bounds of the live analytics, which hold the last hour in memory whatever the traffic.</summary>
internal sealed class AnalyticsOptions
{
    public const string SectionName = SettingsSections.Analytics;

    /// <summary>
    /// Records remembered per minute to tell a repeat from new work (order lines, rejections, emails). Past it, a
    /// minute's further records are counted without that check and the figures say they may hold repeats.
    /// </summary>
    [Range(1_000, 1_000_000)]
    public int MaxRecordsPerMinute { get; set; } = 50_000;

    /// <summary>Distinct items, categories and rejection reasons kept per minute; any more are summed as "other".</summary>
    [Range(8, 1_000)]
    public int MaxNamesPerMinute { get; set; } = 100;

    /// <summary>Kibana's analytics dashboard, where it runs (the AppHost sets it in Containers mode); the page links it.</summary>
    [Url]
    public string? KibanaDashboardUrl { get; set; }

    /// <summary>Rows in each top-items list.</summary>
    [Range(1, 50)]
    public int TopItems { get; set; } = 5;
}
