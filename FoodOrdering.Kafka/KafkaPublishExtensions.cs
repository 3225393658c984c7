using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;

namespace FoodOrdering.Kafka;

public static class KafkaPublishExtensions
{
    /// <summary>Publishes <paramref name="message"/> as JSON and returns once the broker has acknowledged it.</summary>
    public static Task<DeliveryResult<string, byte[]>> PublishAsync<T>(
        this IProducer<string, byte[]> producer,
        string topic,
        string key,
        T message,
        JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken = default) =>
        producer.PublishAsync(topic, new Message<string, byte[]> { Key = key, Value = JsonSerializer.SerializeToUtf8Bytes(message, typeInfo) }, cancellationToken);

    /// <summary>Publishes a raw message in a publish span whose context travels in the message headers.</summary>
    public static async Task<DeliveryResult<string, byte[]>> PublishAsync(
        this IProducer<string, byte[]> producer,
        string topic,
        Message<string, byte[]> message,
        CancellationToken cancellationToken = default)
    {
        using var activity = KafkaTelemetry.StartPublish(topic, message);
        try
        {
            var result = await producer.ProduceAsync(topic, message, cancellationToken);
            KafkaTelemetry.Delivered(activity, result.TopicPartitionOffset);
            return result;
        }
        catch (Exception e)
        {
            Pii.RecordException(activity, e);
            throw;
        }
    }

    /// <summary>
    /// Queues <paramref name="message"/> without waiting for the broker: for transactional producers, whose commit
    /// fails if any queued message could not be delivered. The publish span still carries the trace onward.
    /// </summary>
    public static void Enqueue<T>(this IProducer<string, byte[]> producer, string topic, string key, T message, JsonTypeInfo<T> typeInfo) =>
        producer.Enqueue(topic, new Message<string, byte[]> { Key = key, Value = JsonSerializer.SerializeToUtf8Bytes(message, typeInfo) });

    /// <inheritdoc cref="Enqueue{T}"/>
    public static void Enqueue(this IProducer<string, byte[]> producer, string topic, Message<string, byte[]> message)
    {
        using var activity = KafkaTelemetry.StartPublish(topic, message);
        producer.Produce(topic, message);
    }
}
