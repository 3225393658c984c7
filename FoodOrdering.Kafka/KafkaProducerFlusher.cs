using Confluent.Kafka;
using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Kafka;

/// <summary>Flushes the producer when the host stops, so nothing accepted is left in its queue.</summary>
internal sealed class KafkaProducerFlusher<TKey, TValue>(IProducer<TKey, TValue> producer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        producer.Flush(cancellationToken);
        return Task.CompletedTask;
    }
}
