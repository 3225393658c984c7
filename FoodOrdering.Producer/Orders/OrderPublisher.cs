using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;

namespace FoodOrdering.Producer.Orders;

/// <summary>Puts an order on <see cref="Topics.OrdersReceived"/>, keyed by its id; returns once the broker has it.</summary>
internal sealed class OrderPublisher(IProducer<string, byte[]> producer)
{
    public Task PublishAsync(OrderPlaced order, CancellationToken cancellationToken) =>
        producer.PublishAsync(Topics.OrdersReceived, order.OrderId.ToString(), order, ContractsJsonContext.Default.OrderPlaced, cancellationToken);
}
