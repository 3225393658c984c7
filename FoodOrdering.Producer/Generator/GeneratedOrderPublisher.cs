using System.Diagnostics;
using FoodOrdering.Contracts;
using FoodOrdering.Producer.Orders;

namespace FoodOrdering.Producer.Generator;

/// <summary>Generates one order and publishes it, as the root of that order's own trace.</summary>
internal sealed class GeneratedOrderPublisher(OrderGenerator generator, OrderPublisher publisher)
{
    private static readonly ActivitySource Source = new(typeof(GeneratedOrderPublisher).Assembly.GetName().Name!);

    public async Task<OrderPlaced> PublishAsync(CancellationToken cancellationToken)
    {
        // A burst runs inside an HTTP request; without this every burst order would join that request's trace.
        Activity.Current = null;
        var order = generator.Next();
        using var activity = Source.StartActivity("generate order", ActivityKind.Internal);
        activity?.SetTag("order.id", order.OrderId);
        try
        {
            await publisher.PublishAsync(order, cancellationToken);
            return order;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }
}
