using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// Settings for a Kafka producer, with the members of Aspire.Confluent.Kafka's: bound from
/// <c>Aspire:Confluent:Kafka:Producer</c> and <c>Aspire:Confluent:Kafka:Producer:{name}</c>, then
/// <c>ConnectionStrings:{name}</c>, then a delegate.
/// </summary>
public sealed class KafkaProducerSettings
{
    /// <summary>The bootstrap servers, e.g. <c>localhost:9092</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The client's configuration, bound by property name (<c>"Config": { "MessageTimeoutMs": 10000 }</c>);
    /// each property stands for one librdkafka property (<c>message.timeout.ms</c>).
    /// </summary>
    public ProducerConfig Config { get; } = new();

    public bool DisableHealthChecks { get; set; }

    /// <summary>Leaves out the publish spans (<see cref="KafkaTelemetry.ActivitySourceName"/>) from tracing.</summary>
    public bool DisableTracing { get; set; }

    /// <summary>Accepted for configuration written for Aspire.Confluent.Kafka; producers here publish no client metrics.</summary>
    public bool DisableMetrics { get; set; }
}
