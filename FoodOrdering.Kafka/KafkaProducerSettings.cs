using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// Settings for a Kafka producer, in the shape of Aspire.Confluent.Kafka's: bound from
/// <c>Aspire:Confluent:Kafka:Producer</c>, then <c>ConnectionStrings:{name}</c>, then a delegate.
/// </summary>
public sealed class KafkaProducerSettings
{
    /// <summary>The bootstrap servers, e.g. <c>localhost:9092</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>librdkafka properties (keys as in librdkafka's CONFIGURATION.md, e.g. <c>linger.ms</c>).</summary>
    public ProducerConfig Config { get; } = new();

    public bool DisableHealthChecks { get; set; }
}
