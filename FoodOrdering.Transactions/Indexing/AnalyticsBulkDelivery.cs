using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Confluent.Kafka;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// Indexes a batch of <see cref="Topics.OrdersAnalytics"/> with <c>_bulk</c>. The batch is delivered only when
/// Elasticsearch acknowledged every document in it or the record was dead-lettered; until then it is retried with
/// backoff, for as long as it takes. Document ids are deterministic, so a redelivery overwrites rather than duplicates.
/// </summary>
internal sealed partial class AnalyticsBulkDelivery(
    [FromKeyedServices(ConsumerGroups.Indexer)] IProducer<string, byte[]> producer,
    [FromKeyedServices(ConsumerGroups.Indexer)] DeadLetters deadLetters,
    ElasticsearchClient client,
    IndexerRetries retries,
    IndexerStatus status,
    IndexerMetrics metrics,
    ILogger<AnalyticsIndexer> logger) : IBatchDelivery
{
    public async Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
    {
        using var activity = IndexerTelemetry.StartBatch(batch, ConsumerGroups.Indexer);
        var pending = new List<PendingDocument>(batch.Count);
        var unreadable = new Queue<(ConsumeResult<string, byte[]> Record, Exception Error)>();
        foreach (var record in batch)
        {
            if (TryRead(record, out var document, out var error))
            {
                pending.Add(new PendingDocument(record, document));
            }
            else
            {
                unreadable.Enqueue((record, error));
            }
        }

        await retries.DeadLettering.ExecuteAsync(async token =>
        {
            while (unreadable.TryPeek(out var bad))
            {
                await DeadLetterAsync(bad.Record, DeadLetterCause.Of(DeadLetterReasons.Unreadable, bad.Error), token);
                unreadable.Dequeue();
            }

            return true;
        }, cancellationToken);

        // Each attempt sends only what the previous one left: documents already acknowledged are not resent.
        await retries.Bulk.ExecuteAsync(async token => pending = await BulkAsync(pending, token), cancellationToken);

        status.Set(IndexerState.Indexing, AnalyticsIndexer.IndexingDescription);
        return BatchOutcome.Delivered;
    }

    /// <summary>One <c>_bulk</c> request; returns what must be sent again.</summary>
    private async Task<List<PendingDocument>> BulkAsync(List<PendingDocument> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return pending;
        }

        var request = new BulkRequest(AnalyticsIndexTemplate.IndexName)
        {
            Operations = [.. pending.Select(p => new BulkIndexOperation<AnalyticsDocument>(p.Document) { Id = p.Document.Id })],
        };
        var response = await client.BulkAsync(request, cancellationToken);
        var details = response.ApiCallDetails;
        if (details.HttpStatusCode != 200 || response.Items.Count != pending.Count)
        {
            // The request as a whole failed (no connection, 429, 5xx, a proxy's 4xx): nothing in it counts as indexed.
            throw new ElasticsearchRequestException("The _bulk request failed", details.HttpStatusCode, details.OriginalException);
        }

        var items = response.Items.ToList();
        var retry = new List<PendingDocument>();
        string? retryReason = null;
        for (var i = 0; i < pending.Count; i++)
        {
            var item = items[i];
            if (item.Status is >= 200 and < 300)
            {
                metrics.Indexed(item.Result ?? "indexed", pending[i].Document.PlacedAt);
            }
            else if (item.Status is 429 or >= 500)
            {
                retry.Add(pending[i]);
                retryReason ??= $"HTTP {item.Status} {item.Error?.Type}: {item.Error?.Reason}";
            }
            else
            {
                // A document Elasticsearch will never take as it is (e.g. 400 mapper_parsing_exception).
                var type = item.Error?.Type ?? $"http_{item.Status}";
                var error = $"Elasticsearch refused document {pending[i].Document.Id} ({item.Status} {type}): {item.Error?.Reason}";
                await DeadLetterAsync(pending[i].Record, new DeadLetterCause(DeadLetterReasons.Rejected, error, type), cancellationToken);
            }
        }

        if (retry.Count > 0)
        {
            status.Set(IndexerState.Retrying, $"Elasticsearch pushed back on {retry.Count} document(s) ({retryReason}); retrying, their offsets not committed");
            LogPushedBack(logger, retry.Count, pending.Count, retryReason);
        }

        return retry;
    }

    private async Task DeadLetterAsync(ConsumeResult<string, byte[]> record, DeadLetterCause cause, CancellationToken cancellationToken)
    {
        await deadLetters.PublishAsync(producer, record, cause, cancellationToken);
        metrics.DeadLettered(cause.Reason);
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

    [LoggerMessage(EventId = 1310, Level = LogLevel.Warning, Message = "{Count} of {Total} documents were not indexed ({Reason}); retrying them")]
    private static partial void LogPushedBack(ILogger logger, int count, int total, string? reason);
}
