using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;

namespace FoodOrdering.Kafka;

/// <summary>
/// The at-least-once consume loop: messages are taken in small batches and handled up to
/// <c>maxConcurrency</c> at a time (those with the same key in order), and a batch's offsets are stored only
/// after every message in it was handled, so no offset passes an unfinished message. Unreadable messages and
/// messages the handler keeps failing on are dead-lettered with the reason; on shutdown the stored offsets are
/// committed and the group left.
/// </summary>
internal sealed class KafkaConsumerWorker<TMessage>(
    string groupId,
    string topic,
    JsonTypeInfo<TMessage> typeInfo,
    int maxConcurrency,
    IConsumer<string, byte[]> consumer,
    IProducer<string, byte[]> producer,
    IMessageHandler<TMessage> handler,
    KafkaConsumerMonitor monitor,
    ResiliencePipeline handlerRetries,
    ILogger<KafkaConsumerWorker<TMessage>> logger) : BackgroundService
{
    private static readonly TimeSpan BatchWait = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    // Consume() blocks its thread, so the loop must not run on the host's start path.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Run(() => ConsumeLoopAsync(stoppingToken), CancellationToken.None);

    private async Task ConsumeLoopAsync(CancellationToken stoppingToken)
    {
        consumer.Subscribe(topic);
        logger.LogInformation("Consuming {Topic} as consumer group {ConsumerGroup}", topic, groupId);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = ConsumeBatch(stoppingToken);
                if (batch.Count == 0)
                {
                    continue;
                }

                monitor.Started(batch);
                if (batch.Count == 1)
                {
                    await ProcessAsync(batch[0], stoppingToken);
                }
                else
                {
                    await Parallel.ForEachAsync(
                        batch.GroupBy(record => record.Message.Key),
                        // The body's token is cancelled on shutdown and when another key failed, so no key keeps
                        // retrying alone while the batch has already failed.
                        new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = stoppingToken },
                        async (sameKey, token) =>
                        {
                            foreach (var record in sameKey)
                            {
                                await ProcessAsync(record, token);
                            }
                        });
                }

                foreach (var last in batch.GroupBy(record => record.TopicPartition).Select(partition => partition.MaxBy(record => record.Offset.Value)!))
                {
                    StoreOffset(last);
                }

                monitor.Progressed();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "The consumer of {Topic} stopped on an unrecoverable error", topic);
            throw;
        }
        finally
        {
            consumer.Close();
            logger.LogInformation("Consumer of {Topic} closed: stored offsets committed, group {ConsumerGroup} left", topic, groupId);
        }
    }

    private List<ConsumeResult<string, byte[]>> ConsumeBatch(CancellationToken stoppingToken)
    {
        try
        {
            // A few messages per connection keep every one busy without holding many unstored offsets.
            return consumer.ConsumeBatch(maxConcurrency * 4, BatchWait, IdleWait, stoppingToken);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            logger.LogWarning(e, "Consume from {Topic} failed: {Reason}", topic, e.Error.Reason);
            return [];
        }
    }

    private void StoreOffset(ConsumeResult<string, byte[]> record)
    {
        try
        {
            consumer.StoreOffset(record);
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            // The partition was taken away while the handler worked (a rebalance, or a handler that waited out an
            // outage beyond max.poll.interval.ms): its new owner reprocesses the message, which is at-least-once.
            logger.LogWarning("Offset {Offset} of {Topic} [{Partition}] was not stored: {Reason}",
                record.Offset.Value, record.Topic, record.Partition.Value, e.Error.Reason);
        }
    }

    private async Task ProcessAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        using var activity = KafkaTelemetry.StartProcess(record, groupId);
        // Every topic is keyed by order id, so this scope makes "find order X" work across the logs.
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["OrderId"] = record.Message.Key });

        if (!TryDeserialize(record.Message.Value, out var message, out var error))
        {
            KafkaTelemetry.Failed(activity, error);
            await DeadLetterAsync(record, error, cancellationToken);
            return;
        }

        try
        {
            await handlerRetries.ExecuteAsync(
                static (state, token) => new ValueTask(state.handler.HandleAsync(state.message, token)),
                (handler, message),
                cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            KafkaTelemetry.Failed(activity, e);
            await DeadLetterAsync(record, e, cancellationToken);
        }
    }

    private bool TryDeserialize(byte[]? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TMessage? message, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Exception? error)
    {
        message = default;
        error = null;
        try
        {
            message = value is { Length: > 0 } ? JsonSerializer.Deserialize(value, typeInfo) : default;
            error = message is null ? new JsonException("The message is empty or JSON null.") : null;
        }
        catch (JsonException e)
        {
            error = e;
        }

        return error is null;
    }

    private async Task DeadLetterAsync(ConsumeResult<string, byte[]> record, Exception error, CancellationToken stoppingToken)
    {
        var deadLetter = record.ToDeadLetter(error.Message, error.GetType().FullName ?? error.GetType().Name, groupId);
        var deadLetterTopic = Topics.DeadLetter(record.Topic);
        await producer.PublishAsync(deadLetterTopic, deadLetter, stoppingToken);
        logger.LogWarning("Moved {Topic} [{Partition}] @{Offset} to {DeadLetterTopic}: {Error}",
            record.Topic, record.Partition.Value, record.Offset.Value, deadLetterTopic, error.Message);
    }
}
