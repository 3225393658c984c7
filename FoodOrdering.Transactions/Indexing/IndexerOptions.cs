using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>The <c>Indexer</c> section: how the analytics indexer batches and retries.</summary>
internal sealed class IndexerOptions
{
    public const string SectionName = SettingsSections.Indexer;

    /// <summary>The most records one <c>_bulk</c> request carries.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a batch waits to fill up after its first record arrived.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan BatchMaxWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one poll waits for a first record when the topic is quiet.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan IdleWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first wait before a retry; it doubles (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between retries while Elasticsearch is down or pushing back.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
