using System.Diagnostics.Metrics;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>The analytics indexer's metrics, on the meter named after the service.</summary>
internal sealed class IndexerMetrics
{
    private readonly Counter<long> _indexed;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _indexingLatency;
    private readonly TimeProvider _time;

    public IndexerMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(typeof(IndexerMetrics).Assembly.GetName().Name!);
        _indexed = meter.CreateCounter<long>("foodordering.analytics.indexed", "{document}", "Documents Elasticsearch acknowledged (result: created, or already_indexed for a resent document answered 409)");
        _retries = meter.CreateCounter<long>("foodordering.analytics.index_retries", "{attempt}", "Batches replayed because Elasticsearch did not take all their documents, and index-template PUTs that failed");
        _deadLettered = meter.CreateCounter<long>("foodordering.analytics.dead_lettered", "{message}", "Records sent to orders.analytics.dead-letter (reason: unreadable or rejected)");
        _indexingLatency = meter.CreateHistogram<double>("foodordering.order.indexing.duration", "s", "Time from an order being placed to its line being acknowledged by Elasticsearch",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    public void Indexed(string result, DateTimeOffset placedAt)
    {
        _indexed.Add(1, new KeyValuePair<string, object?>("result", result));
        _indexingLatency.Record((_time.GetUtcNow() - placedAt).TotalSeconds);
    }

    /// <summary>A resent document Elasticsearch already had (409 to a <c>create</c>): indexed, but not newly.</summary>
    public void AlreadyIndexed() => _indexed.Add(1, new KeyValuePair<string, object?>("result", "already_indexed"));

    public void Retried() => _retries.Add(1);

    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
