using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Producer.Tracking;

/// <summary>How much of the pipeline's recent outcomes each Producer instance keeps for <c>GET /orders/{id}</c>.</summary>
internal sealed class OrderTrackingOptions
{
    public const string SectionName = SettingsSections.OrderTracking;

    /// <summary>
    /// Orders remembered, the one first seen longest ago forgotten first (about a kilobyte each); also how many records
    /// of each outcome partition an instance reads back when it starts.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxOrders { get; set; } = 10_000;

    /// <summary>
    /// How often the outcome topics' partitions are listed again, so that topics created after the Producer started
    /// and partitions added later are read too.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PartitionDiscoveryInterval { get; set; } = TimeSpan.FromSeconds(10);
}
