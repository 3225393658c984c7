using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Confluent.Kafka;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Elastic.Transport;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// Indexes a batch of <see cref="Topics.OrdersAnalytics"/> with one <c>_bulk</c> request of <c>create</c> operations.
/// Each failure is classified by what failed (<see cref="ElasticsearchFailure"/>) and gets what the indexer's one
/// failure policy says (<see cref="IndexerFailurePolicy"/>): only a document fault is dead-lettered; anything else — no
/// answer, 429, 5xx, a block, a refused key, a missing index — fails the batch, which the consume loop replays from
/// the committed offsets with backoff, nothing committed meanwhile. Records whose work
/// became durable in a failed attempt (acknowledged, or dead-lettered) are remembered and not sent again on the replay.
/// The batch is delivered once every record is acknowledged or dead-lettered.
/// </summary>
/// <remarks>
/// <c>create</c> with deterministic ids is what makes a resend harmless and needs only the <c>create_doc</c> privilege:
/// a document that is already there (a redelivery after a crash or a rebalance) is answered 409
/// <c>version_conflict_engine_exception</c>, which counts as indexed; nothing is ever overwritten.
/// </remarks>
internal sealed partial class AnalyticsBulkDelivery(
    [FromKeyedServices(ConsumerGroups.Indexer)] IProducer<string, byte[]> producer,
    [FromKeyedServices(ConsumerGroups.Indexer)] DeadLetters deadLetters,
    ElasticsearchClient client,
    AnalyticsIndexTemplate template,
    IndexerStatus status,
    IndexerMetrics metrics,
    FailurePolicy<ElasticsearchFailure> failures,
    ILogger<AnalyticsIndexer> logger) : IBatchDelivery
{
    private const string AlreadyIndexedType = "version_conflict_engine_exception";

    // A bulk request is tried again only by the loop's replay, which leaves out what was acknowledged.
    private readonly FailurePolicy<ElasticsearchFailure> _failures = failures.Rules.Any(rule => rule.RetriesInPlace > 0)
        ? throw new ArgumentException("The indexer retries nothing in place: the consume loop's replay sends a bulk again.", nameof(failures))
        : failures;

    private readonly SettledRecords _settled = new();

    // Why each document of a failed batch was last not taken, for the one set aside as its own failure.
    private readonly Dictionary<TopicPartitionOffset, ElasticsearchFailure> _lastFailures = [];

    // Documents refused, in a way not known to be the cluster's, by a bulk request that indexed others.
    private readonly HashSet<TopicPartitionOffset> _refusedAmongIndexed = [];

    public bool ReachedDownstream { get; private set; }

    public async Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
    {
        ReachedDownstream = false;
        using var activity = IndexerTelemetry.StartBatch(batch, ConsumerGroups.Indexer);
        var pending = new List<PendingDocument>(batch.Count);
        var toDeadLetter = new List<(ConsumeResult<string, byte[]> Record, DeadLetterCause Cause)>();
        foreach (var record in batch.Where(record => !_settled.Contains(record)))
        {
            if (TryRead(record, out var document, out var error))
            {
                pending.Add(new PendingDocument(record, document));
            }
            else
            {
                toDeadLetter.Add((record, DeadLetterCause.Of(DeadLetterReasons.Unreadable, error)));
            }
        }

        // Why the batch must be replayed; null when every record is acknowledged or dead-lettered.
        string? replay = null;
        if (pending.Count > 0 && !await template.EnsureAnsweredAsync(cancellationToken))
        {
            replay = "retrying the batch: no document is sent before Elasticsearch answers the index template";
        }
        else if (pending.Count > 0 && await BulkAsync(pending, toDeadLetter, cancellationToken) is { } notTaken)
        {
            LogNotTaken(logger, notTaken.Count, batch.Count, notTaken.First.Describe());
            replay = $"retrying {notTaken.Count} document(s) Elasticsearch did not take, their offsets not committed: {notTaken.First}";
        }

        try
        {
            foreach (var (record, cause) in toDeadLetter)
            {
                await deadLetters.PublishAsync(producer, record, cause, cancellationToken);
                metrics.DeadLettered(cause.Reason);
                _settled.Add(record);
            }
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            // What Elasticsearch acknowledged stays settled: the replay sends only what is still to do.
            LogDeadLetterFailed(logger, e, e.Error.Reason);
            return Failed(activity, $"retrying the batch, without what is already indexed or dead-lettered: publishing a dead letter failed ({e.Error.Reason})");
        }

        if (replay is not null)
        {
            return Failed(activity, replay);
        }

        // Only this batch's: while the loop isolates a failed batch it delivers its records one at a time.
        _settled.Forget(batch);
        Forget(batch);
        status.Set(IndexerState.Indexing, AnalyticsIndexer.IndexingDescription);
        return BatchOutcome.Delivered;
    }

    /// <summary>
    /// One <c>_bulk</c> request. Acknowledged documents are settled, document faults queued for dead-lettering;
    /// returns how many documents are left for a replay and why the first of them was not taken, or null.
    /// </summary>
    private async Task<(int Count, ElasticsearchFailure First)?> BulkAsync(
        List<PendingDocument> pending, List<(ConsumeResult<string, byte[]> Record, DeadLetterCause Cause)> toDeadLetter, CancellationToken cancellationToken)
    {
        var request = new BulkRequest(AnalyticsIndexTemplate.IndexName)
        {
            Operations = [.. pending.Select(p => new BulkCreateOperation<AnalyticsDocument>(p.Document) { Id = p.Document.Id })],
        };
        BulkResponse response;
        try
        {
            response = await client.BulkAsync(request, cancellationToken);
        }
        catch (TransportException e)
        {
            return NotTaken(pending, ElasticsearchFailure.Unreachable(e));
        }

        var details = response.ApiCallDetails;
        if (details.HttpStatusCode != 200)
        {
            // The request as a whole failed (no connection, 401, 429, 5xx, a proxy's answer): nothing in it counts as indexed.
            return NotTaken(pending, ElasticsearchFailure.OfRequest(details));
        }

        if (response.Items.Count != pending.Count)
        {
            return NotTaken(pending, new ElasticsearchFailure(ElasticsearchFailureKind.Unexpected, 200, "bulk_item_count",
                $"{response.Items.Count} items answered for {pending.Count} documents sent"));
        }

        var items = response.Items.ToList();
        (int Count, ElasticsearchFailure First)? notTaken = null;
        for (var i = 0; i < pending.Count; i++)
        {
            var (record, document) = pending[i];
            var item = items[i];
            if (item.Status is >= 200 and < 300)
            {
                metrics.Indexed(item.Result ?? "created", document.PlacedAt);
                _settled.Add(record);
                ReachedDownstream = true;
            }
            else if (item.Status == 409 && item.Error?.Type == AlreadyIndexedType)
            {
                metrics.AlreadyIndexed();
                _settled.Add(record);
                ReachedDownstream = true;
            }
            else if (ElasticsearchFailure.OfItem(item.Status, item.Error) is var failure && _failures.For(failure) is { Action: FailureAction.DeadLetter } rule)
            {
                toDeadLetter.Add((record, new DeadLetterCause(rule.DeadLetterReason ?? DeadLetterReasons.Rejected,
                    $"Elasticsearch refused document {document.Id} ({failure.Status} {failure.Type}): {failure.Reason}", failure.Type)));
            }
            else
            {
                _lastFailures[record.TopicPartitionOffset] = failure;
                notTaken = notTaken is { } earlier ? (earlier.Count + 1, earlier.First) : (1, failure);
            }
        }

        // Kept once seen: the same document sent alone later has no others beside it.
        foreach (var (record, _) in pending.Where(p => ReachedDownstream && _lastFailures.TryGetValue(p.Record.TopicPartitionOffset, out var failure)
            && _failures.For(failure).Action == FailureAction.Replay && !_settled.Contains(p.Record)))
        {
            _refusedAmongIndexed.Add(record.TopicPartitionOffset);
        }

        return notTaken;
    }

    public bool FailedWhileOthersWereTaken(ConsumeResult<string, byte[]> record) => _refusedAmongIndexed.Contains(record.TopicPartitionOffset);

    /// <summary>
    /// Dead-letters a document Elasticsearch did not take alone, again and again, while others were indexed, with an
    /// answer the policy replays (<see cref="FailureAction.Replay"/>: not known to be the cluster's): whatever it said,
    /// it said it about this document. One refused as the cluster refuses (429, 5xx, a block, access, a missing index:
    /// <see cref="FailureAction.WaitOut"/>) is waited for instead: false.
    /// </summary>
    public async Task<bool> SetAsideAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        var failure = _lastFailures.GetValueOrDefault(record.TopicPartitionOffset)
            ?? new ElasticsearchFailure(ElasticsearchFailureKind.Unexpected, null, "not_taken", "the document failed alone while others were indexed");
        if (_failures.For(failure).Action != FailureAction.Replay)
        {
            return false;
        }

        var cause = new DeadLetterCause(DeadLetterReasons.FailsAlone,
            $"Elasticsearch did not take this document alone, again and again, while others were indexed: {failure}", failure.Type);
        try
        {
            await deadLetters.PublishAsync(producer, record, cause, cancellationToken);
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            LogDeadLetterFailed(logger, e, e.Error.Reason);
            return false;
        }

        metrics.DeadLettered(cause.Reason);
        Forget([record]);
        return true;
    }

    private void Forget(IReadOnlyList<ConsumeResult<string, byte[]>> records)
    {
        foreach (var record in records)
        {
            _lastFailures.Remove(record.TopicPartitionOffset);
            _refusedAmongIndexed.Remove(record.TopicPartitionOffset);
        }
    }

    private (int Count, ElasticsearchFailure First) NotTaken(List<PendingDocument> pending, ElasticsearchFailure failure)
    {
        foreach (var (record, _) in pending)
        {
            _lastFailures[record.TopicPartitionOffset] = failure;
            _refusedAmongIndexed.Remove(record.TopicPartitionOffset);
        }

        return (pending.Count, failure);
    }

    private BatchOutcome Failed(Activity? activity, string description)
    {
        metrics.Retried();
        status.Set(IndexerState.Retrying, description);
        activity?.SetStatus(ActivityStatusCode.Error, description);
        return BatchOutcome.Failed;
    }

    private static bool TryRead(ConsumeResult<string, byte[]> record, [NotNullWhen(true)] out AnalyticsDocument? document, [NotNullWhen(false)] out Exception? error)
    {
        document = null;
        error = null;
        try
        {
            var line = record.Message.Value is { Length: > 0 } value ? JsonSerializer.Deserialize(value, ContractsJsonContext.Default.OrderLineSold) : null;
            document = line is null ? null : AnalyticsDocument.From(line);
            error = line is null ? new JsonException("The message is empty or JSON null.") : null;
        }
        catch (JsonException e)
        {
            error = e;
        }

        return error is null;
    }

    [LoggerMessage(EventId = 2311, Level = LogLevel.Warning, Message = "Publishing a dead letter failed ({Reason}); the batch is replayed without what Elasticsearch already took")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 2310, Level = LogLevel.Warning, Message = "Elasticsearch did not take {Count} of {Total} documents: {Reason}. They are not dead-lettered; the batch is replayed with backoff, its offsets not committed")]
    private static partial void LogNotTaken(ILogger logger, int count, int total, string reason);
}
