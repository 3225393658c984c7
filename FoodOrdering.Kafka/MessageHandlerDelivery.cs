using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Polly;

namespace FoodOrdering.Kafka;

/// <summary>
/// Per-message work for at-least-once consumers: a batch's messages are handled up to <c>maxConcurrency</c> at a
/// time (those with the same key in order), each with a few retries, and the batch is delivered only when every
/// message in it was handled or dead-lettered, so no stored offset passes an unfinished message. A handler that throws
/// <see cref="DownstreamUnavailableException"/> fails the whole batch, which the loop replays after a backoff; a
/// message that keeps failing so while others are handled is set aside (<see cref="SetAsideAsync"/>).
/// </summary>
internal sealed class MessageHandlerDelivery<TMessage>(
    string groupId,
    JsonTypeInfo<TMessage> typeInfo,
    int maxConcurrency,
    IMessageHandler<TMessage> handler,
    ResiliencePipeline handlerRetries,
    IProducer<string, byte[]> producer,
    DeadLetters deadLetters,
    ILogger logger) : IBatchDelivery
{
    // Records of a failed batch that were already handled or dead-lettered: its replays skip them, so a long outage
    // downstream does not write their dead letters again at every replay.
    private readonly ConcurrentDictionary<TopicPartitionOffset, bool> _finishedBeforeFailure = new();

    // Why each record of a failed batch last failed, and how many messages had been handled when it first failed: one
    // handled after that shows the record failed while the downstream worked.
    private readonly ConcurrentDictionary<TopicPartitionOffset, (DownstreamUnavailableException Error, long HandledBefore)> _lastFailures = new();

    // Messages the handler returned from: in all, and by the start of the latest delivery.
    private long _handled;
    private long _handledBeforeDelivery;

    public bool ReachedDownstream => Interlocked.Read(ref _handled) > _handledBeforeDelivery;

    public bool FailedWhileOthersWereTaken(ConsumeResult<string, byte[]> record) =>
        _lastFailures.TryGetValue(record.TopicPartitionOffset, out var failure) && Interlocked.Read(ref _handled) > failure.HandledBefore;

    public async Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
    {
        _handledBeforeDelivery = Interlocked.Read(ref _handled);
        if (!await ProcessAllAsync(batch, cancellationToken))
        {
            return BatchOutcome.Failed;
        }

        // Only this batch's: while the loop isolates a failed batch it delivers its records one at a time.
        Forget(batch);
        return BatchOutcome.Delivered;
    }

    public async Task<bool> SetAsideAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        using var activity = KafkaTelemetry.StartProcess(record, groupId);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["OrderId"] = KafkaTelemetry.KeyTag(record.Message.Key) });
        Exception lastError = _lastFailures.TryGetValue(record.TopicPartitionOffset, out var failure)
            ? failure.Error.InnerException ?? failure.Error
            : new DownstreamUnavailableException("It failed alone again and again while the records around it were handled.");
        try
        {
            if (!TryDeserialize(record.Message.Value, out var message, out _) || !await handler.FailedAloneAsync(message, lastError, cancellationToken))
            {
                await deadLetters.PublishAsync(producer, record, DeadLetterCause.Of(DeadLetterReasons.FailsAlone, lastError), cancellationToken);
            }
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            return false;
        }

        Forget([record]);
        return true;
    }

    private void Forget(IReadOnlyList<ConsumeResult<string, byte[]>> batch)
    {
        foreach (var record in batch)
        {
            _finishedBeforeFailure.TryRemove(record.TopicPartitionOffset, out _);
            _lastFailures.TryRemove(record.TopicPartitionOffset, out _);
        }
    }

    /// <summary>
    /// False when a handler threw <see cref="DownstreamUnavailableException"/>. From then on no further message is
    /// started, but those already being handled are let finish: cut short, an email could go out unrecorded and be
    /// sent again on the replay.
    /// </summary>
    private async Task<bool> ProcessAllAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
    {
        var failed = 0;
        await Parallel.ForEachAsync(
            batch.GroupBy(record => record.Message.Key),
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (sameKey, token) =>
            {
                foreach (var record in sameKey)
                {
                    if (Volatile.Read(ref failed) != 0)
                    {
                        return;
                    }

                    try
                    {
                        await ProcessUnlessFinishedAsync(record, token);
                    }
                    catch (DownstreamUnavailableException)
                    {
                        Volatile.Write(ref failed, 1);
                        return;
                    }
                }
            });
        return failed == 0;
    }

    private async Task ProcessUnlessFinishedAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        if (_finishedBeforeFailure.ContainsKey(record.TopicPartitionOffset))
        {
            return;
        }

        await ProcessAsync(record, cancellationToken);
        _finishedBeforeFailure[record.TopicPartitionOffset] = true;
    }

    private async Task ProcessAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        using var activity = KafkaTelemetry.StartProcess(record, groupId);
        // Every topic is keyed by order id, so this scope makes "find order X" work across the logs.
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["OrderId"] = KafkaTelemetry.KeyTag(record.Message.Key) });

        if (!TryDeserialize(record.Message.Value, out var message, out var error))
        {
            Pii.RecordException(activity, error);
            await deadLetters.PublishAsync(producer, record, DeadLetterCause.Of(DeadLetterReasons.Unreadable, error), cancellationToken);
            return;
        }

        try
        {
            await handlerRetries.ExecuteAsync(
                static (state, token) => new ValueTask(state.handler.HandleAsync(state.message, token)),
                (handler, message),
                cancellationToken);
            Interlocked.Increment(ref _handled);
        }
        catch (DownstreamUnavailableException e)
        {
            Pii.RecordException(activity, e);
            // Counted from the first failure: the record sent alone later has no others beside it.
            var handled = Interlocked.Read(ref _handled);
            _lastFailures.AddOrUpdate(record.TopicPartitionOffset, (e, handled), (_, first) => (e, first.HandledBefore));
            throw;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Pii.RecordException(activity, e);
            await deadLetters.PublishAsync(producer, record, DeadLetterCause.Of(DeadLetterReasons.Unprocessable, e), cancellationToken);
        }
    }

    private bool TryDeserialize(byte[]? value, [NotNullWhen(true)] out TMessage? message, [NotNullWhen(false)] out Exception? error)
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
}
