using Confluent.Kafka;
using FoodOrdering.Contracts;

namespace FoodOrdering.Operations.Log;

/// <summary>
/// Keeps the values the tail reads only where it needs them (failures and the audit); every other value is left in
/// librdkafka's buffer, so tailing a topic of large records costs no managed memory for them.
/// </summary>
internal sealed class TailValueDeserializer : IDeserializer<byte[]?>
{
    public byte[]? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
        isNull || !(DeadLetterTopics.HoldsFailures(context.Topic) || context.Topic == Topics.OperationsAudit) ? null : data.ToArray();
}
