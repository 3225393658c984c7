using System.Diagnostics.Metrics;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>The analytics indexer's metrics, on the meter named after the service.</summary>
internal sealed class IndexerMetrics
{
    private readonly Counter<long> _indexed;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _deadLettered;

    public IndexerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(typeof(IndexerMetrics).Assembly.GetName().Name!);
        _indexed = meter.CreateCounter<long>("foodordering.analytics.indexed", "{document}", "Documents Elasticsearch acknowledged (result: created or updated)");
        _retries = meter.CreateCounter<long>("foodordering.analytics.index_retries", "{attempt}", "Bulk requests (or the template) retried after a retryable failure");
        _deadLettered = meter.CreateCounter<long>("foodordering.analytics.dead_lettered", "{message}", "Records sent to orders.analytics.dead-letter (reason: unreadable or rejected)");
    }

    public void Indexed(string result) => _indexed.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Retried() => _retries.Add(1);

    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
