using System.Collections.Frozen;
using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>What a failed publish says about where its message is, and whose fault it was.</summary>
public static class KafkaDeliveryErrors
{
    // Refused before the message left the client, or refused whole by the broker without writing anything.
    // Not in here on purpose: a timeout (Local_MsgTimedOut). librdkafka 2.16 reports NotPersisted for a message
    // that timed out while its produce request was in flight, and the broker may have written it all the same
    // (KafkaDeliveryErrorsTests shows it on the embedded broker).
    private static readonly FrozenSet<ErrorCode> NeverWritten = new[]
    {
        ErrorCode.Local_QueueFull,
        ErrorCode.Local_KeySerialization,
        ErrorCode.Local_ValueSerialization,
        ErrorCode.Local_UnknownTopic,
        ErrorCode.Local_UnknownPartition,
        // Also what produce() itself answers, at once, for a message over message.max.bytes.
        ErrorCode.MsgSizeTooLarge,
        ErrorCode.RecordListTooLarge,
        ErrorCode.InvalidRecord,
        ErrorCode.PolicyViolation,
        ErrorCode.TopicAuthorizationFailed,
        ErrorCode.ClusterAuthorizationFailed,
    }.ToFrozenSet();

    private static readonly FrozenSet<ErrorCode> MessageFaults = new[]
    {
        ErrorCode.Local_KeySerialization,
        ErrorCode.Local_ValueSerialization,
        ErrorCode.MsgSizeTooLarge,
        ErrorCode.RecordListTooLarge,
        ErrorCode.InvalidRecord,
    }.ToFrozenSet();

    /// <summary>
    /// True only when the message is certainly not on the log: librdkafka says it was not persisted and the error
    /// is one that stops a message before it is written. Anything else, timeouts included, may have been written.
    /// </summary>
    public static bool CertainlyNotWritten<TKey, TValue>(Exception exception) => exception switch
    {
        ProduceException<TKey, TValue> produce => produce.DeliveryResult?.Status is null or PersistenceStatus.NotPersisted
            && NeverWritten.Contains(produce.Error.Code),
        KafkaException kafka => NeverWritten.Contains(kafka.Error.Code),
        _ => false,
    };

    /// <summary>The message itself could not be published (too large, unserializable); the client is fine.</summary>
    public static bool IsMessageFault(Error error) => MessageFaults.Contains(error.Code);
}
