using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// The orders this instance accepted, for <c>GET /orders/{id}</c>: the latest
/// <see cref="OrderApiOptions.RememberedOrders"/>, each for <see cref="OrderApiOptions.RememberFor"/>, in memory.
/// A lookup only: idempotency keys are held apart (<see cref="IdempotencyKeys"/>), so no order pushes a key out.
/// </summary>
internal sealed class RecentOrders(IOptions<OrderApiOptions> options, TimeProvider time)
{
    private readonly Dictionary<Guid, OrderPlaced> _orders = [];
    private readonly Queue<(Guid OrderId, DateTimeOffset ExpiresAt)> _byAge = new();
    private readonly Lock _lock = new();

    public OrderPlaced? Find(Guid orderId)
    {
        lock (_lock)
        {
            DropExpired(time.GetUtcNow());
            return _orders.GetValueOrDefault(orderId);
        }
    }

    public void Remember(OrderPlaced order)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            DropExpired(now);
            if (!_orders.TryAdd(order.OrderId, order))
            {
                return;
            }

            _byAge.Enqueue((order.OrderId, now + options.Value.RememberFor));
            while (_orders.Count > options.Value.RememberedOrders)
            {
                _orders.Remove(_byAge.Dequeue().OrderId);
            }
        }
    }

    private void DropExpired(DateTimeOffset now)
    {
        while (_byAge.TryPeek(out var oldest) && oldest.ExpiresAt <= now)
        {
            _orders.Remove(_byAge.Dequeue().OrderId);
        }
    }
}
