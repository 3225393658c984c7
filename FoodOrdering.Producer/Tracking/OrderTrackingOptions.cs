using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Producer.Tracking;

/// <summary>How much of the pipeline's recent outcomes each Producer instance keeps for <c>GET /orders/{id}</c>.</summary>
internal sealed class OrderTrackingOptions
{
    public const string SectionName = SettingsSections.OrderTracking;

    /// <summary>
    /// Orders remembered besides the kept ones (see <see cref="KeepPlacedFor"/>), the one seen longest ago forgotten
    /// first (about a kilobyte each); also how many records of each outcome partition an instance reads back when it starts.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxOrders { get; set; } = 10_000;

    /// <summary>
    /// How often the outcome topics' partitions are listed again, so that topics created after the Producer started
    /// and partitions added later are read too.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PartitionDiscoveryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an order placed through this instance's API stays findable here, however many other orders come
    /// (the generator's, other instances'), within <see cref="MaxKeptOrdersPerClient"/> and <see cref="MaxKeptOrders"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan KeepPlacedFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Orders one client (see <see cref="Clients.ClientAddresses"/>) may have kept at once; past that its own oldest
    /// kept order is kept no longer, so one client's orders never push another's out.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxKeptOrdersPerClient { get; set; } = 1_000;

    /// <summary>
    /// Orders kept at once in all (about a kilobyte each): the memory bound. It takes this / <see cref="MaxKeptOrdersPerClient"/>
    /// clients at their limit, or that many orders placed here within <see cref="KeepPlacedFor"/>, to reach it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxKeptOrders { get; set; } = 50_000;
}
