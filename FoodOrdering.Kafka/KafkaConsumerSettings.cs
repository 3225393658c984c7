using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Kafka;

/// <summary>
/// Settings for a Kafka consumer, with the members of Aspire.Confluent.Kafka's and two of ours
/// (<see cref="StallTimeout"/>, <see cref="StalledStatus"/>): bound from <c>Aspire:Confluent:Kafka:Consumer</c> and
/// <c>Aspire:Confluent:Kafka:Consumer:{name}</c>, then <c>ConnectionStrings:{name}</c>, then a delegate.
/// </summary>
public sealed class KafkaConsumerSettings
{
    /// <summary>The bootstrap servers, e.g. <c>localhost:9092</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The client's configuration, bound by property name (<c>"Config": { "FetchWaitMaxMs": 10 }</c>);
    /// each property stands for one librdkafka property (<c>fetch.wait.max.ms</c>).
    /// </summary>
    public ConsumerConfig Config { get; } = new();

    /// <summary>Leaves out the client and the progress health checks.</summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>Leaves out the processing spans (<see cref="KafkaTelemetry.ActivitySourceName"/>) from tracing.</summary>
    public bool DisableTracing { get; set; }

    /// <summary>Leaves this consumer out of the lag gauge; its statistics still feed the stall check.</summary>
    public bool DisableMetrics { get; set; }

    /// <summary>How long the consumer may stand still while messages wait before it counts as stalled.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What a stalled consumer makes the service's readiness: Unhealthy by default; Degraded for a side consumer
    /// whose stall must not take the whole service out of rotation.
    /// </summary>
    public HealthStatus StalledStatus { get; set; } = HealthStatus.Unhealthy;
}
