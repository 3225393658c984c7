using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// Indexes <see cref="Topics.OrdersAnalytics"/> into Elasticsearch with <c>_bulk</c>, in batches by size or time,
/// on its own consumer and thread so that Elasticsearch being slow or down never holds up pricing. A batch's offsets
/// are stored (and so committed) only when Elasticsearch acknowledged every document in it or the record was
/// dead-lettered; until then the batch is retried with backoff, for as long as it takes. Document ids are
/// deterministic, so the redelivery this at-least-once scheme allows overwrites rather than duplicates.
/// </summary>
internal sealed class AnalyticsIndexer(
    [FromKeyedServices(ConsumerGroups.Indexer)] IConsumer<string, byte[]> consumer,
    [FromKeyedServices(ConsumerGroups.Indexer)] IProducer<string, byte[]> deadLetters,
    [FromKeyedServices(ConsumerGroups.Indexer)] KafkaConsumerMonitor monitor,
    ElasticsearchClient client,
    IOptions<IndexerOptions> options,
    IndexerStatus status,
    IndexerMetrics metrics,
    ILogger<AnalyticsIndexer> logger) : BackgroundService
{
    private const string Topic = Topics.OrdersAnalytics;
    private const string Group = ConsumerGroups.Indexer;

    private readonly IndexerOptions _options = options.Value;

    // Consume() blocks its thread, so the loop must not run on the host's start path.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Run(() => RunAsync(stoppingToken), CancellationToken.None);

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PutTemplateAsync(stoppingToken);
            consumer.Subscribe(Topic);
            logger.LogInformation("Indexing {Topic} into {Index} as consumer group {ConsumerGroup}", Topic, AnalyticsIndexTemplate.IndexName, Group);
            status.Set(IndexerState.Indexing, $"indexing {Topic} into {AnalyticsIndexTemplate.IndexName}");
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = ConsumeBatch(stoppingToken);
                if (batch.Count == 0)
                {
                    continue;
                }

                monitor.Started(batch);
                await IndexAsync(batch, stoppingToken);
                StoreOffsets(batch);
                CommitStored();
                monitor.Progressed();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A batch in flight is abandoned with its offsets unstored: the next run indexes it again.
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "The analytics indexer stopped on an unrecoverable error");
            throw;
        }
        finally
        {
            consumer.Close();
            logger.LogInformation("Analytics indexer closed: acknowledged offsets committed, group {ConsumerGroup} left", Group);
        }
    }

    private async Task PutTemplateAsync(CancellationToken stoppingToken)
    {
        status.Set(IndexerState.WaitingForElasticsearch, "waiting for Elasticsearch to accept the index template");
        await Retries<bool>("putting the index template").ExecuteAsync(async token =>
        {
            await AnalyticsIndexTemplate.PutAsync(client, token);
            return true;
        }, stoppingToken);
        logger.LogInformation("Index template {Template} is in place", AnalyticsIndexTemplate.TemplateName);
    }

    private List<ConsumeResult<string, byte[]>> ConsumeBatch(CancellationToken stoppingToken)
    {
        try
        {
            return consumer.ConsumeBatch(_options.BatchSize, _options.BatchMaxWait, _options.IdleWait, stoppingToken);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // Records collected before the error were consumed but not indexed: go back to the committed position.
            logger.LogWarning(e, "Consume from {Topic} failed ({Reason}); rewinding to the committed offsets", Topic, e.Error.Reason);
            Rewind();
            return [];
        }
    }

    private async Task IndexAsync(List<ConsumeResult<string, byte[]>> batch, CancellationToken stoppingToken)
    {
        using var activity = IndexerTelemetry.StartBatch(batch, Group);
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

        // Kafka being briefly unavailable for the dead letters must not end the loop either.
        await Retries<bool>("dead-lettering unreadable records").ExecuteAsync(async token =>
        {
            while (unreadable.TryPeek(out var bad))
            {
                await DeadLetterAsync(bad.Record, bad.Error.Message, bad.Error.GetType().FullName!, "unreadable", token);
                unreadable.Dequeue();
            }

            return true;
        }, stoppingToken);

        // Each attempt sends only what the previous one left: documents already acknowledged are not resent.
        await Retries<List<PendingDocument>>("indexing a batch").ExecuteAsync(
            async token => pending = await BulkAsync(pending, token), stoppingToken);

        status.Set(IndexerState.Indexing, $"indexing {Topic} into {AnalyticsIndexTemplate.IndexName}");
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
                await DeadLetterAsync(pending[i].Record, $"Elasticsearch refused document {pending[i].Document.Id} ({item.Status} {type}): {item.Error?.Reason}",
                    type, "rejected", cancellationToken);
            }
        }

        if (retry.Count > 0)
        {
            status.Set(IndexerState.Retrying, $"Elasticsearch pushed back on {retry.Count} document(s) ({retryReason}); retrying, their offsets not committed");
            logger.LogWarning("{Count} of {Total} documents were not indexed ({Reason}); retrying them", retry.Count, pending.Count, retryReason);
        }

        return retry;
    }

    private ResiliencePipeline<T> Retries<T>(string what) => new ResiliencePipelineBuilder<T>()
        .AddRetry(new RetryStrategyOptions<T>
        {
            MaxRetryAttempts = int.MaxValue,
            Delay = _options.FirstRetryDelay,
            MaxDelay = _options.MaxRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } e ? e is not OperationCanceledException : args.Outcome.Result is List<PendingDocument> { Count: > 0 }),
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
                    logger.LogWarning("Elasticsearch failed while {What} (attempt {Attempt}): {Reason}; retrying in {Delay}",
                        what, args.AttemptNumber + 1, e.Message, args.RetryDelay);
                }

                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private static bool TryRead(ConsumeResult<string, byte[]> record, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AnalyticsDocument? document,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Exception? error)
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

    private async Task DeadLetterAsync(ConsumeResult<string, byte[]> record, string error, string errorType, string reason, CancellationToken cancellationToken)
    {
        var topic = Topics.DeadLetter(record.Topic);
        await deadLetters.PublishAsync(topic, record.ToDeadLetter(error, errorType, Group), cancellationToken);
        metrics.DeadLettered(reason);
        Activity.Current?.AddEvent(new ActivityEvent("dead-lettered", tags: new ActivityTagsCollection { ["offset"] = record.Offset.Value, ["reason"] = reason }));
        logger.LogWarning("Moved {Topic} [{Partition}] @{Offset} to {DeadLetterTopic}: {Error}",
            record.Topic, record.Partition.Value, record.Offset.Value, topic, error);
    }

    private void StoreOffsets(List<ConsumeResult<string, byte[]>> batch)
    {
        // The highest offset of each partition: every record up to it is indexed or dead-lettered.
        foreach (var last in batch.GroupBy(record => record.TopicPartition).Select(partition => partition.MaxBy(record => record.Offset.Value)!))
        {
            try
            {
                consumer.StoreOffset(last);
            }
            catch (KafkaException e) when (!e.Error.IsFatal)
            {
                // The partition moved to another member meanwhile (a rebalance, or a long outage past
                // max.poll.interval.ms): its new owner indexes the batch again, which the document ids make harmless.
                logger.LogWarning("Offset {Offset} of {Topic} [{Partition}] was not stored: {Reason}",
                    last.Offset.Value, last.Topic, last.Partition.Value, e.Error.Reason);
            }
        }
    }

    // A batch is a second's worth of documents: committing each one as it is acknowledged, rather than on the
    // 5-second timer, keeps what a crash makes the next run index again to about one batch.
    private void CommitStored()
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            // The stored offsets stay stored: the timer or the next batch commits them.
            logger.LogWarning("Committing {Topic} offsets failed: {Reason}", Topic, e.Error.Reason);
        }
    }

    private void Rewind()
    {
        try
        {
            foreach (var committed in consumer.Committed(consumer.Assignment, TimeSpan.FromSeconds(10)))
            {
                consumer.Seek(committed.Offset == Offset.Unset ? new TopicPartitionOffset(committed.TopicPartition, Offset.Beginning) : committed);
            }
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            // Without the committed offsets the consumer cannot rewind; leaving the group makes it start over from them.
            logger.LogWarning("Rewinding {Topic} failed ({Reason}); rejoining the group to restart from the committed offsets", Topic, e.Error.Reason);
            consumer.Unsubscribe();
            consumer.Subscribe(Topic);
        }
    }

    private sealed record PendingDocument(ConsumeResult<string, byte[]> Record, AnalyticsDocument Document);
}
