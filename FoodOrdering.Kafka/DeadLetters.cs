using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

/// <summary>
/// Moves records a consumer group cannot read or process to their topic's dead-letter topic, with the original key,
/// value and headers (cut to fit, see <see cref="DeadLetterHeaders"/>) plus where they came from and why. Published
/// (acknowledged before returning) by at-least-once consumers, or enqueued into the open transaction by an
/// exactly-once one, so a dead letter commits with the offsets. A dead letter the producer or broker refuses as a
/// record is tried once more bare; refused again, the record is <em>parked</em>: left where it is on its topic, named
/// in a critical log and counted, so that one record can never hold its consumer up.
/// </summary>
public sealed partial class DeadLetters(string consumerGroup, ILogger<DeadLetters> logger, Meter? meter = null)
{
    private readonly Counter<long>? _parked = meter?.CreateCounter<long>(
        "foodordering.dead_letters.parked", "{record}", "Records whose dead letter could not be written: left on their topic, named in a critical log");

    /// <summary>The dead letters of <paramref name="consumerGroup"/>, counted on the application's meter.</summary>
    public static DeadLetters For(IServiceProvider services, string consumerGroup) => new(
        consumerGroup,
        services.GetRequiredService<ILogger<DeadLetters>>(),
        services.GetRequiredService<IMeterFactory>().Create(services.GetRequiredService<IHostEnvironment>().ApplicationName));

    public async Task PublishAsync(IProducer<string, byte[]> producer, ConsumeResult<string, byte[]> record, DeadLetterCause cause, CancellationToken cancellationToken)
    {
        var topic = Topics.DeadLetter(record.Topic);
        foreach (var bare in new[] { false, true })
        {
            try
            {
                await producer.PublishAsync(topic, record.ToDeadLetter(cause, consumerGroup, bare), cancellationToken);
                Moved(record, topic, cause);
                return;
            }
            catch (KafkaException e) when (IsRecordRefused(e.Error))
            {
                LogRefused(logger, topic, record.Topic, record.Partition.Value, record.Offset.Value, bare ? "bare" : "fitted", e.Error.Code, e.Error.Reason);
            }
        }

        Park(record, cause);
    }

    /// <summary>
    /// Queues the dead letter on a transactional producer's open transaction; it is delivered when that commits. Only
    /// refusals the producer makes at once are seen here; one the broker makes fails the commit, and the caller
    /// then tries the record alone (<see cref="EnqueueBare"/>, then <see cref="Park"/>).
    /// </summary>
    public void Enqueue(IProducer<string, byte[]> producer, ConsumeResult<string, byte[]> record, DeadLetterCause cause) =>
        Enqueue(producer, record, cause, bare: false);

    /// <summary>The last dead letter to try for a record whose fitted one was refused: its coordinates and reason only.</summary>
    public void EnqueueBare(IProducer<string, byte[]> producer, ConsumeResult<string, byte[]> record, DeadLetterCause cause) =>
        Enqueue(producer, record, cause, bare: true);

    /// <summary>Leaves a record on its topic unprocessed, where a critical log and a metric point to it, so the consumer moves on.</summary>
    public void Park(ConsumeResult<string, byte[]> record, DeadLetterCause cause)
    {
        _parked?.Add(1, new KeyValuePair<string, object?>("messaging.consumer.group.name", consumerGroup), new KeyValuePair<string, object?>("reason", cause.Reason));
        Activity.Current?.AddEvent(new ActivityEvent("parked", tags: new ActivityTagsCollection { ["offset"] = record.Offset.Value, ["reason"] = cause.Reason }));
        LogParked(logger, record.Topic, record.Partition.Value, record.Offset.Value, cause.Reason, cause.Error);
    }

    /// <summary>
    /// Errors that refuse this one record as it is (too large, malformed) rather than the producer or broker as a
    /// whole: another try of the same record fails the same way, so it must not be retried.
    /// </summary>
    public static bool IsRecordRefused(Error error) => error.Code is ErrorCode.MsgSizeTooLarge or ErrorCode.Local_BadMsg
        or ErrorCode.RecordListTooLarge or ErrorCode.InvalidRecord or ErrorCode.InvalidMsg or ErrorCode.InvalidMsgSize;

    private void Enqueue(IProducer<string, byte[]> producer, ConsumeResult<string, byte[]> record, DeadLetterCause cause, bool bare)
    {
        var topic = Topics.DeadLetter(record.Topic);
        try
        {
            producer.Enqueue(topic, record.ToDeadLetter(cause, consumerGroup, bare));
        }
        catch (KafkaException e) when (IsRecordRefused(e.Error) && !bare)
        {
            LogRefused(logger, topic, record.Topic, record.Partition.Value, record.Offset.Value, "fitted", e.Error.Code, e.Error.Reason);
            Enqueue(producer, record, cause, bare: true);
            return;
        }
        catch (KafkaException e) when (IsRecordRefused(e.Error))
        {
            LogRefused(logger, topic, record.Topic, record.Partition.Value, record.Offset.Value, "bare", e.Error.Code, e.Error.Reason);
            Park(record, cause);
            return;
        }

        Moved(record, topic, cause);
    }

    private void Moved(ConsumeResult<string, byte[]> record, string topic, DeadLetterCause cause)
    {
        Activity.Current?.AddEvent(new ActivityEvent("dead-lettered", tags: new ActivityTagsCollection
        {
            ["offset"] = record.Offset.Value,
            ["reason"] = cause.Reason,
        }));
        LogMoved(logger, record.Topic, record.Partition.Value, record.Offset.Value, topic, cause.Reason, cause.Error);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Dead-lettered {Topic} [{Partition}] @{Offset} to {DeadLetterTopic} ({Reason}): {Error}")]
    private static partial void LogMoved(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string reason, string error);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "{DeadLetterTopic} refused the {Shape} dead letter of {Topic} [{Partition}] @{Offset} ({Code}: {Refusal})")]
    private static partial void LogRefused(ILogger logger, string deadLetterTopic, string topic, int partition, long offset, string shape, ErrorCode code, string refusal);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Critical, Message = "Parked {Topic} [{Partition}] @{Offset}: it could not be processed ({Reason}: {Error}) nor dead-lettered, and is left unprocessed on its topic")]
    private static partial void LogParked(ILogger logger, string topic, int partition, long offset, string reason, string error);
}
