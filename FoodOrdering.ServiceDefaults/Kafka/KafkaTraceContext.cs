using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry.Context.Propagation;

namespace FoodOrdering.Kafka;

/// <summary>Reads the W3C trace context a publish span put in a message's headers, for consumers that span a batch.</summary>
public static class KafkaTraceContext
{
    private static readonly TraceContextPropagator Propagator = new();

    public static ActivityContext Extract(Headers? headers) =>
        Propagator.Extract(default, headers, static (carrier, key) =>
            carrier is not null && carrier.TryGetLastBytes(key, out var value) ? [Encoding.UTF8.GetString(value)] : []).ActivityContext;
}
