using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;

namespace FoodOrdering.Transactions;

/// <summary>
/// Turns a received order into a confirmation plus one analytics record per line, or a rejection, and
/// returns only when the broker has acknowledged every one of them.
/// </summary>
internal sealed class OrderPricingHandler(OrderPricer pricer, IProducer<string, byte[]> producer, ILogger<OrderPricingHandler> logger)
    : IMessageHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced order, CancellationToken cancellationToken)
    {
        var key = order.OrderId.ToString();
        switch (pricer.Price(order))
        {
            case PricingResult.Confirmed confirmed:
                var deliveries = new Task[confirmed.Analytics.Count + 1];
                deliveries[0] = producer.PublishAsync(Topics.OrdersConfirmed, key, confirmed.Order, ContractsJsonContext.Default.OrderConfirmed, cancellationToken);
                for (var i = 0; i < confirmed.Analytics.Count; i++)
                {
                    deliveries[i + 1] = producer.PublishAsync(Topics.OrdersAnalytics, key, confirmed.Analytics[i], ContractsJsonContext.Default.OrderLineSold, cancellationToken);
                }

                await Task.WhenAll(deliveries);
                logger.LogDebug("Confirmed order {OrderId}: {Total} {Currency}", order.OrderId, confirmed.Order.Total, confirmed.Order.Currency);
                break;

            case PricingResult.Rejected rejected:
                await producer.PublishAsync(Topics.OrdersRejected, key, rejected.Rejection, ContractsJsonContext.Default.OrderRejected, cancellationToken);
                logger.LogInformation("Rejected order {OrderId}: {Reason} {Message}", order.OrderId, rejected.Rejection.Reason, rejected.Rejection.Message);
                break;
        }
    }
}
