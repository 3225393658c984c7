using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// The indexer's retry pipelines, built once: every call to Elasticsearch (and every dead letter) is retried with
/// backoff for as long as it takes, since giving up would mean committing offsets of records never indexed.
/// </summary>
internal sealed partial class IndexerRetries
{
    public IndexerRetries(IOptions<IndexerOptions> options, IndexerStatus status, IndexerMetrics metrics, ILogger<AnalyticsIndexer> logger)
    {
        Template = Build<bool>("putting the index template", options.Value, status, metrics, logger).Build();
        DeadLettering = Build<bool>("dead-lettering unreadable records", options.Value, status, metrics, logger).Build();
        Bulk = Build<List<PendingDocument>>("indexing a batch", options.Value, status, metrics, logger).Build();
    }

    public ResiliencePipeline<bool> Template { get; }

    /// <summary>Kafka being briefly unavailable for the dead letters must not end the loop either.</summary>
    public ResiliencePipeline<bool> DeadLettering { get; }

    /// <summary>Retries a <c>_bulk</c> call that failed, or that left documents to send again (429 or 5xx items).</summary>
    public ResiliencePipeline<List<PendingDocument>> Bulk { get; }

    private static ResiliencePipelineBuilder<T> Build<T>(string what, IndexerOptions options, IndexerStatus status, IndexerMetrics metrics, ILogger logger) =>
        new ResiliencePipelineBuilder<T>().AddRetry(new RetryStrategyOptions<T>
        {
            MaxRetryAttempts = int.MaxValue,
            Delay = options.FirstRetryDelay,
            MaxDelay = options.MaxRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(
                // A fatal Kafka error (the dead-letter producer fenced or broken) never heals: it ends the loop loudly.
                args.Outcome.Exception is { } e
                    ? e is not (OperationCanceledException or KafkaException { Error.IsFatal: true })
                    : args.Outcome.Result is List<PendingDocument> { Count: > 0 }),
            OnRetry = args =>
            {
                metrics.Retried();
                Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
                {
                    ["attempt"] = args.AttemptNumber + 1,
                    ["reason"] = args.Outcome.Exception?.Message ?? "items answered 429 or 5xx",
                }));
                if (args.Outcome.Exception is { } e)
                {
                    status.Set(IndexerState.Retrying, $"Elasticsearch is failing ({e.Message}); retrying {what}, nothing committed meanwhile");
                    LogRetrying(logger, what, args.AttemptNumber + 1, e.Message, args.RetryDelay);
                }

                return ValueTask.CompletedTask;
            },
        });

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Elasticsearch failed while {What} (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string what, int attempt, string reason, TimeSpan delay);
}
