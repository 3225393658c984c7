using System.Diagnostics;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

/// <summary>
/// Moves records a consumer group cannot read or process to their topic's dead-letter topic, with the original key,
/// value and headers plus <see cref="DeadLetterHeaders"/>. Published (acknowledged before returning) by at-least-once
/// consumers, or enqueued into the open transaction by an exactly-once one, so a dead letter commits with the offsets.
/// </summary>
public sealed partial class DeadLetters(string consumerGroup, ILogger<DeadLetters> logger)
{
    public async Task PublishAsync(IProducer<string, byte[]> producer, ConsumeResult<string, byte[]> record, DeadLetterCause cause, CancellationToken cancellationToken)
    {
        var topic = Topics.DeadLetter(record.Topic);
        await producer.PublishAsync(topic, record.ToDeadLetter(cause, consumerGroup), cancellationToken);
        Moved(record, topic, cause);
    }

    /// <summary>Queues the dead letter on a transactional producer's open transaction; it is delivered when that commits.</summary>
    public void Enqueue(IProducer<string, byte[]> producer, ConsumeResult<string, byte[]> record, DeadLetterCause cause)
    {
        var topic = Topics.DeadLetter(record.Topic);
        producer.Enqueue(topic, record.ToDeadLetter(cause, consumerGroup));
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
}
