using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Transactions;

/// <summary>How received orders are grouped into Kafka transactions.</summary>
internal sealed class OrderProcessingOptions
{
    public const string SectionName = SettingsSections.OrderProcessing;

    /// <summary>
    /// A transaction closes after this many received orders... Each transaction costs a few broker round trips
    /// whatever its size, so larger batches price faster up to a point; the default was chosen by measurement
    /// (bench/README.md#settings-chosen-by-measurement). Bounded so that a batch's outputs (up to 21 records an order) stay under the producer's
    /// queue of 100,000.
    /// </summary>
    [Range(1, 4_000)]
    public int MaxBatchSize { get; set; } = 2_000;

    /// <summary>
    /// ...or this long after its first order arrived, whichever comes first; orders already fetched join without
    /// waiting, so zero means "what has arrived". It bounds the wait a steady stream adds to an order, while a
    /// backlog fills batches by size before it runs out; the default was chosen by measurement (bench/README.md#settings-chosen-by-measurement).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Workers in this process, each a member of the consumer group with its own transactional producer: the group
    /// gives each its own partitions, so one prices a batch while another's transaction commits, and no partition
    /// is ever in two transactions. Workers beyond the partitions of <c>orders.received</c> (over all replicas)
    /// stay idle. The default was chosen by measurement (bench/README.md#settings-chosen-by-measurement).
    /// </summary>
    [Range(1, 32)]
    public int Workers { get; set; } = 2;

    /// <summary>A received message larger than this is dead-lettered unread.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Bound on each transactional call (init, send offsets, commit, abort) before it is retried or given up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TransactionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an order id is remembered after its first order was priced: within it, the same order again is a
    /// duplicate and another order under the id is rejected (<see cref="OrderIds.OrderIdLedger"/>). Kept in memory per
    /// assigned partition, and read back from <c>orders.id-claims</c> when a partition is assigned.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan OrderIdWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// At most this many order ids are remembered per partition of <c>orders.received</c>, the oldest forgotten first,
    /// whatever <see cref="OrderIdWindow"/> says, so the memory they take is bounded however fast orders come.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int MaxOrderIdsPerPartition { get; set; } = 100_000;
}
