using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

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

    /// <summary>How long the consumer may stand still while messages wait before it counts as stalled.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What a stalled consumer makes the service's readiness: Unhealthy by default; Degraded for a side consumer
    /// whose stall must not take the whole service out of rotation.
    /// </summary>
    public HealthStatus StalledStatus { get; set; } = HealthStatus.Unhealthy;
}
