using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Transactions;

/// <summary>How received orders are grouped into Kafka transactions.</summary>
internal sealed class OrderProcessingOptions
{
    public const string SectionName = "OrderProcessing";

    /// <summary>
    /// A transaction closes after this many received orders... Each transaction costs a few broker round trips
    /// whatever its size; in the benchmark (bench/FoodOrdering.Benchmarks, 200,000 orders, embedded broker) 2,000
    /// priced 45,000-58,000 orders/s where 500 priced 27,000-31,000, and 5,000 was no faster (40,000-55,000).
    /// Bounded so that a batch's outputs (up to 21 records an order) stay under the producer's queue of 100,000.
    /// </summary>
    [Range(1, 4_000)]
    public int MaxBatchSize { get; set; } = 2_000;

    /// <summary>
    /// ...or this long after its first order arrived, whichever comes first. It bounds the wait a steady stream
    /// adds to an order; in the benchmark at 2,000 orders/s the placed → confirmed p99 was 43-44 ms with 2 ms,
    /// 46 ms with 5 ms, 48-60 ms with 10 ms and 55-60 ms with 20 ms. A backlog fills batches by size before this
    /// runs out, so its throughput did not change.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>A received message larger than this is dead-lettered unread.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Bound on each transactional call (init, send offsets, commit, abort) before it is retried or given up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TransactionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Also commits each batch's offsets through the consumer once its transaction has committed. Only for
    /// librdkafka's mock broker (embedded mode), which acknowledges transactional offset commits without storing
    /// them; against real Kafka leave it off, as the transaction already committed the same offsets.
    /// </summary>
    public bool CommitOffsetsAfterTransaction { get; set; }
}
