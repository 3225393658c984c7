using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions;

/// <summary>
/// Exactly-once consume → price → produce. Each batch of received orders becomes one Kafka transaction holding
/// every confirmation, analytics record, rejection and dead letter of the batch together with the batch's consumer
/// offsets, so the outputs and the progress commit together or not at all. When a transaction fails it is aborted
/// and the consumer rewinds to the committed offsets, so the batch is replayed whole; a batch gathered across a
/// rebalance is dropped the same way before any of it is written.
/// </summary>
internal sealed class TransactionalOrderWorker(
    [FromKeyedServices(ConsumerGroups.Transactions)] IConsumer<string, byte[]> consumer,
    KafkaTransactionalProducerFactory producers,
    OrderRecordProcessor processor,
    RevocationWatch revocations,
    DirectOffsetCommits directCommits,
    [FromKeyedServices(ConsumerGroups.Transactions)] KafkaConsumerMonitor monitor,
    TransactionsMetrics metrics,
    IOptions<OrderProcessingOptions> options,
    ILogger<TransactionalOrderWorker> logger) : BackgroundService
{
    private const int CallAttempts = 3;
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    private readonly OrderProcessingOptions _settings = options.Value;

    // Consume() blocks its thread, so the loop must not run on the host's start path.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Run(() => Run(stoppingToken), CancellationToken.None);

    private void Run(CancellationToken stoppingToken)
    {
        KafkaTransactionalProducer? producer = null;
        consumer.Subscribe(Topics.OrdersReceived);
        logger.LogInformation("Pricing {Topic} as consumer group {ConsumerGroup} in transactions of up to {MaxBatchSize} orders or {MaxBatchWait} ms",
            Topics.OrdersReceived, ConsumerGroups.Transactions, _settings.MaxBatchSize, _settings.MaxBatchWait.TotalMilliseconds);
        try
        {
            var failures = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                producer ??= CreateProducer(stoppingToken);
                var batch = Gather(stoppingToken);
                if (batch.Count == 0)
                {
                    directCommits.TryCommit(consumer);
                    continue;
                }

                switch (Commit(producer, batch))
                {
                    case CommitResult.Committed:
                        failures = 0;
                        continue;
                    case CommitResult.ProducerFailed:
                        producer.Dispose();
                        producer = null;
                        break;
                }

                Rewind(stoppingToken);
                Backoff(++failures, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Order processing stopped on an unrecoverable error");
            throw;
        }
        finally
        {
            // No transaction is open here: every batch ends committed or aborted before the loop looks again.
            producer?.Dispose();
            directCommits.TryCommit(consumer);
            consumer.Close();
            logger.LogInformation("Order processing stopped; consumer group {ConsumerGroup} left", ConsumerGroups.Transactions);
        }
    }

    private List<ConsumeResult<string, byte[]>> Gather(CancellationToken stoppingToken)
    {
        List<ConsumeResult<string, byte[]>> batch;
        try
        {
            batch = consumer.ConsumeBatch(_settings.MaxBatchSize, _settings.MaxBatchWait, IdleWait, stoppingToken);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // Records gathered before the error moved the position on; rewinding makes sure none is skipped.
            logger.LogWarning(e, "Consuming {Topic} failed: {Reason}", Topics.OrdersReceived, e.Error.Reason);
            Rewind(stoppingToken);
            return [];
        }

        if (revocations.TakeRevoked())
        {
            logger.LogInformation("Partitions were revoked while {Count} orders were gathered; replaying from the committed offsets", batch.Count);
            Rewind(stoppingToken);
            return [];
        }

        return batch;
    }

    private CommitResult Commit(KafkaTransactionalProducer producer, List<ConsumeResult<string, byte[]>> batch)
    {
        var outcomes = new List<OrderOutcome>(batch.Count);
        var offsets = NextOffsets(batch);
        monitor.Started(batch);
        try
        {
            producer.BeginTransaction();
            foreach (var record in batch)
            {
                outcomes.Add(processor.Process(record, producer.Producer));
            }

            Retrying(() => producer.SendOffsetsToTransaction(offsets, consumer.ConsumerGroupMetadata, _settings.TransactionTimeout));
            Retrying(() => producer.CommitTransaction(_settings.TransactionTimeout));
        }
        catch (KafkaException e)
        {
            metrics.Aborted();
            logger.LogWarning(e, "The transaction of {Count} orders failed ({Code}: {Reason}); aborting it and replaying from the committed offsets",
                batch.Count, e.Error.Code, e.Error.Reason);
            return !e.Error.IsFatal && TryAbort(producer) ? CommitResult.Aborted : CommitResult.ProducerFailed;
        }

        directCommits.Add(offsets);
        directCommits.TryCommit(consumer);
        monitor.Progressed();
        metrics.Committed(outcomes);
        return CommitResult.Committed;
    }

    private bool TryAbort(KafkaTransactionalProducer producer)
    {
        try
        {
            Retrying(() => producer.AbortTransaction(_settings.TransactionTimeout));
            return true;
        }
        catch (KafkaException e)
        {
            // The broker aborts the open transaction itself after transaction.timeout.ms; a new producer takes over.
            logger.LogWarning(e, "Aborting the transaction failed ({Reason}); replacing the producer", e.Error.Reason);
            return false;
        }
    }

    /// <summary>Seeks every held partition back to its committed offset (or the beginning when none is).</summary>
    private void Rewind(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var assignment = consumer.Assignment;
                if (assignment.Count == 0)
                {
                    return;
                }

                foreach (var committed in consumer.Committed(assignment, _settings.TransactionTimeout).Select(directCommits.Ahead))
                {
                    consumer.Seek(committed.Offset.IsSpecial ? new TopicPartitionOffset(committed.TopicPartition, Offset.Beginning) : committed);
                }

                return;
            }
            catch (KafkaException e)
            {
                // Going on from the current positions could skip the replayed batch, so this must succeed first.
                logger.LogWarning(e, "Rewinding to the committed offsets failed ({Reason}); retrying", e.Error.Reason);
                Backoff(attempt, stoppingToken);
                stoppingToken.ThrowIfCancellationRequested();
            }
        }
    }

    private KafkaTransactionalProducer CreateProducer(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return producers.Create(_settings.TransactionTimeout);
            }
            catch (KafkaException e)
            {
                logger.LogWarning(e, "Initializing the transactional producer failed ({Reason}); retrying", e.Error.Reason);
                Backoff(attempt, stoppingToken);
                stoppingToken.ThrowIfCancellationRequested();
            }
        }
    }

    private static List<TopicPartitionOffset> NextOffsets(List<ConsumeResult<string, byte[]>> batch)
    {
        var next = new Dictionary<TopicPartition, long>();
        foreach (var record in batch)
        {
            next[record.TopicPartition] = record.Offset.Value + 1;
        }

        return [.. next.Select(pair => new TopicPartitionOffset(pair.Key, pair.Value))];
    }

    /// <summary>Retries a transactional call the client marks retriable (a timeout, say); anything else propagates.</summary>
    private static void Retrying(Action call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                call();
                return;
            }
            catch (KafkaRetriableException) when (attempt < CallAttempts)
            {
            }
        }
    }

    private static void Backoff(int failures, CancellationToken stoppingToken) =>
        stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(failures, 6)))));

    private enum CommitResult
    {
        Committed,
        Aborted,
        ProducerFailed,
    }
}
