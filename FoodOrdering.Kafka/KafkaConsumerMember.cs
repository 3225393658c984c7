using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>One consumer of a group that a service runs several times over, with the monitor that watches it.</summary>
public sealed record KafkaConsumerMember<TKey, TValue>(int Index, IConsumer<TKey, TValue> Consumer, KafkaConsumerMonitor Monitor);
