using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>The <c>Indexer</c> section: how the analytics indexer batches and retries, and whether it puts the index template.</summary>
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

    /// <summary>The longest wait between retries while Elasticsearch is down, pushing back or refusing the indexer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the indexer puts its index template (which needs the cluster privilege <c>manage_index_templates</c>).
    /// Off where the template is put by someone else, from <c>analytics-index-template.json</c>.
    /// </summary>
    public bool ManageIndexTemplate { get; set; } = true;

    /// <summary>How long after Elasticsearch refused the index template (403, 400) it is put again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan TemplateRetryInterval { get; set; } = TimeSpan.FromMinutes(5);
}
