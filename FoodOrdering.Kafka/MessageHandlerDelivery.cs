using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

/// <summary>
/// Per-message work for at-least-once consumers: a batch's messages are handled up to <c>maxConcurrency</c> at a
/// time (those with the same key in order), and the batch is delivered only when every message in it was handled,
/// set aside or dead-lettered, so no stored offset passes an unfinished message. What a handler's exception gets is
/// the consumer's <see cref="FailurePolicy{TFailure}"/>'s, and nothing else's: retries in place, then the record set
/// aside or dead-lettered, or the whole batch failed, which the loop replays after a backoff; a message that keeps
/// failing so while others are handled is set aside (<see cref="SetAsideAsync"/>) unless its rule waits it out.
/// </summary>
internal sealed partial class MessageHandlerDelivery<TMessage>(
    string groupId,
    JsonTypeInfo<TMessage> typeInfo,
    int maxConcurrency,
    IMessageHandler<TMessage> handler,
    FailurePolicy<Exception> failures,
    IProducer<string, byte[]> producer,
    DeadLetters deadLetters,
    ILogger logger) : IBatchDelivery
{
    // Records of a failed batch that were already handled or dead-lettered: its replays skip them, so a long outage
    // downstream does not write their dead letters again at every replay.
    private readonly ConcurrentDictionary<TopicPartitionOffset, bool> _finishedBeforeFailure = new();

    // Why each record of a failed batch last failed, and how many messages had been handled when it first failed: one
    // handled after that shows the record failed while the downstream worked.
    private readonly ConcurrentDictionary<TopicPartitionOffset, (Exception Error, FailureAction Action, long HandledBefore)> _lastFailures = new();

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
        var lastFailure = _lastFailures.TryGetValue(record.TopicPartitionOffset, out var failure)
            ? failure
            : (new DownstreamUnavailableException("It failed alone again and again while the records around it were handled."), FailureAction.Replay, 0);
        if (lastFailure.Action == FailureAction.WaitOut)
        {
            return false;
        }

        if (!await TrySetAsideAsync(record, lastFailure.Error, DeadLetterReasons.FailsAlone, cancellationToken))
        {
            return false;
        }

        Forget([record]);
        return true;
    }

    /// <summary>The record's failure made durable as its own: the handler's record of it, or a dead letter. False when Kafka did not take that now.</summary>
    private async Task<bool> TrySetAsideAsync(ConsumeResult<string, byte[]> record, Exception error, string deadLetterReason, CancellationToken cancellationToken)
    {
        try
        {
            if (!TryDeserialize(record.Message.Value, out var message, out _) || !await handler.FailedAloneAsync(message, error, cancellationToken))
            {
                await deadLetters.PublishAsync(producer, record, DeadLetterCause.Of(deadLetterReason, error), cancellationToken);
            }
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            return false;
        }

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
    /// False when a message's failure fails the batch. From then on no further message is started, but those already
    /// being handled are let finish: cut short, an email could go out unrecorded and be sent again on the replay.
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

                    if (!await ProcessUnlessFinishedAsync(record, token))
                    {
                        Volatile.Write(ref failed, 1);
                        return;
                    }
                }
            });
        return failed == 0;
    }

    private async Task<bool> ProcessUnlessFinishedAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        if (_finishedBeforeFailure.ContainsKey(record.TopicPartitionOffset))
        {
            return true;
        }

        if (!await ProcessAsync(record, cancellationToken))
        {
            return false;
        }

        _finishedBeforeFailure[record.TopicPartitionOffset] = true;
        return true;
    }

    /// <summary>False when the record's failure fails its batch (<see cref="FailureAction.Replay"/>, <see cref="FailureAction.WaitOut"/>).</summary>
    private async Task<bool> ProcessAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        using var activity = KafkaTelemetry.StartProcess(record, groupId);
        // Every topic is keyed by order id, so this scope makes "find order X" work across the logs.
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["OrderId"] = KafkaTelemetry.KeyTag(record.Message.Key) });

        if (!TryDeserialize(record.Message.Value, out var message, out var error))
        {
            Pii.RecordException(activity, error);
            await deadLetters.PublishAsync(producer, record, DeadLetterCause.Of(DeadLetterReasons.Unreadable, error), cancellationToken);
            return true;
        }

        for (var retry = 1; ; retry++)
        {
            try
            {
                await handler.HandleAsync(message, cancellationToken);
                Interlocked.Increment(ref _handled);
                return true;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var rule = failures.For(e);
                if (retry <= rule.RetriesInPlace)
                {
                    var delay = rule.DelayBefore(retry);
                    LogRetryingInPlace(logger, record.Topic, record.Partition.Value, record.Offset.Value, e.GetType().Name, Pii.MaskEmailsIn(e.Message), retry, rule.RetriesInPlace, delay);
                    await Task.Delay(delay, cancellationToken);
                    continue;
                }

                Pii.RecordException(activity, e);
                return await ApplyAsync(rule, record, e, cancellationToken);
            }
        }
    }

    private async Task<bool> ApplyAsync(FailureRule<Exception> rule, ConsumeResult<string, byte[]> record, Exception error, CancellationToken cancellationToken)
    {
        switch (rule.Action)
        {
            case FailureAction.SetAside:
                if (!await TrySetAsideAsync(record, error, rule.DeadLetterReason ?? DeadLetterReasons.Unprocessable, cancellationToken))
                {
                    return Failed(FailureAction.Replay);
                }

                // The downstream answered about this message: as much a sign that it works as a message handled.
                Interlocked.Increment(ref _handled);
                return true;
            case FailureAction.DeadLetter:
                await deadLetters.PublishAsync(producer, record, DeadLetterCause.Of(rule.DeadLetterReason ?? DeadLetterReasons.Unprocessable, error), cancellationToken);
                return true;
            default:
                return Failed(rule.Action);
        }

        bool Failed(FailureAction action)
        {
            // Counted from the first failure: the record sent alone later has no others beside it.
            var handled = Interlocked.Read(ref _handled);
            _lastFailures.AddOrUpdate(record.TopicPartitionOffset, (error, action, handled), (_, first) => (error, action, first.HandledBefore));
            return false;
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

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Handling {Topic} [{Partition}] @{Offset} failed ({ErrorType}: {Error}); retrying it in place ({Retry} of {Retries}) in {Delay}")]
    private static partial void LogRetryingInPlace(ILogger logger, string topic, int partition, long offset, string errorType, string error, int retry, int retries, TimeSpan delay);
}
