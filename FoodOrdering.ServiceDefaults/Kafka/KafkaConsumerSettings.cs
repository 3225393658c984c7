using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// Settings for a Kafka consumer, in the shape of Aspire.Confluent.Kafka's: bound from
/// <c>Aspire:Confluent:Kafka:Consumer</c> and <c>Aspire:Confluent:Kafka:Consumer:{key}</c>, then
/// <c>ConnectionStrings:{name}</c>, then a delegate.
/// </summary>
public sealed class KafkaConsumerSettings
{
    /// <summary>The bootstrap servers, e.g. <c>localhost:9092</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>librdkafka properties (keys as in librdkafka's CONFIGURATION.md, e.g. <c>fetch.min.bytes</c>).</summary>
    public ConsumerConfig Config { get; } = new();

    public bool DisableHealthChecks { get; set; }

    /// <summary>How long the consumer may stand still while messages wait before readiness turns unhealthy.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
