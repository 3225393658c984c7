using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Transactions;

/// <summary>How received orders are grouped into Kafka transactions.</summary>
internal sealed class OrderProcessingOptions
{
    public const string SectionName = "OrderProcessing";

    /// <summary>
    /// A transaction closes after this many received orders... Each transaction costs a few broker round trips
    /// whatever its size; in the benchmark (bench/FoodOrdering.Benchmarks, 200,000 orders) 2,000 priced about
    /// 48,000-58,000 orders/s where 500 priced 25,000-32,000, and 5,000 was no faster.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 2_000;

    /// <summary>
    /// ...or this long after its first order arrived, whichever comes first. It bounds the wait a quiet stream
    /// adds to an order; in the benchmark at 2,000 orders/s, 10 ms gave a placed → confirmed p99 of 31-35 ms where
    /// 20 ms gave 55-60 ms, and 2 or 5 ms were no better.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(10);

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
