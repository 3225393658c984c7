using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry.Context.Propagation;

namespace FoodOrdering.Kafka;

/// <summary>
/// Spans for publishing and processing, named and tagged per OpenTelemetry's messaging conventions. The
/// processing span is a child of the context carried in the message headers, so one order is one trace. Every
/// topic is keyed by order id, so the key is also the span's <c>order.id</c>.
/// </summary>
public static class KafkaTelemetry
{
    public const string ActivitySourceName = "FoodOrdering.Kafka";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    // Fixed rather than Propagators.DefaultTextMapPropagator, which stays a no-op until an OpenTelemetry SDK is built.
    private static readonly TextMapPropagator Propagator =
        new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);

    internal static Activity? StartPublish(string topic, Message<string, byte[]> message)
    {
        var activity = Source.StartActivity($"publish {topic}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "kafka")
            .SetTag("messaging.operation.type", "send")
            .SetTag("messaging.operation.name", "publish")
            .SetTag("messaging.destination.name", topic)
            .SetTag("messaging.kafka.message.key", KeyTag(message.Key))
            .SetTag("order.id", KeyTag(message.Key));

        var context = activity?.Context ?? Activity.Current?.Context;
        if (context is { } propagated)
        {
            message.Headers ??= [];
            Propagator.Inject(new PropagationContext(propagated, OpenTelemetry.Baggage.Current), message.Headers,
                static (headers, key, value) =>
                {
                    headers.Remove(key);
                    headers.Add(key, Encoding.UTF8.GetBytes(value));
                });
        }

        return activity;
    }

    internal static void Delivered(Activity? activity, TopicPartitionOffset position) =>
        activity?.SetTag("messaging.destination.partition.id", position.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .SetTag("messaging.kafka.offset", position.Offset.Value);

    /// <summary>The trace context (and baggage) a publish span put in a message's headers.</summary>
    public static PropagationContext Extract(Headers? headers) =>
        Propagator.Extract(default, headers, static (carrier, key) =>
            carrier is not null && carrier.TryGetLastBytes(key, out var value) ? [Encoding.UTF8.GetString(value)] : []);

    public static Activity? StartProcess(ConsumeResult<string, byte[]> record, string consumerGroup)
    {
        var parent = Extract(record.Message.Headers);
        OpenTelemetry.Baggage.Current = parent.Baggage;

        var activity = Source.StartActivity($"process {record.Topic}", ActivityKind.Consumer, parent.ActivityContext);
        activity?.SetTag("messaging.system", "kafka")
            .SetTag("messaging.operation.type", "process")
            .SetTag("messaging.operation.name", "process")
            .SetTag("messaging.destination.name", record.Topic)
            .SetTag("messaging.consumer.group.name", consumerGroup)
            .SetTag("messaging.kafka.message.key", KeyTag(record.Message.Key))
            .SetTag("order.id", KeyTag(record.Message.Key));
        Delivered(activity, record.TopicPartitionOffset);
        return activity;
    }

    /// <summary>
    /// A key as spans and log scopes show it: our keys are order ids, but a record from any client may carry a key of
    /// any length, which must not be copied into every span and log record of its processing.
    /// </summary>
    public static string? KeyTag(string? key) => key is { Length: > MaxKeyTagLength } ? string.Concat(key.AsSpan(0, MaxKeyTagLength), "…") : key;

    private const int MaxKeyTagLength = 64;
}
