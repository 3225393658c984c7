using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Tracking;

/// <summary>
/// The latest known state of recent orders, put together from the outcome topics (<see cref="OrderTrackingWorker"/>)
/// and the orders this instance placed. Outcomes of different topics arrive in any order, so each fills its own part;
/// a repeat (at-least-once) overwrites with the same facts. Bounded: past <see cref="OrderTrackingOptions.MaxOrders"/>
/// the order first seen longest ago is forgotten.
/// </summary>
internal sealed class OrderTrackingBoard(IOptions<OrderTrackingOptions> options)
{
    private readonly Dictionary<Guid, Entry> _orders = [];
    private readonly Queue<Guid> _arrival = new();
    private readonly int _maxOrders = options.Value.MaxOrders;
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _orders.Count;
            }
        }
    }

    public OrderStatus? Find(Guid orderId)
    {
        lock (_lock)
        {
            return _orders.TryGetValue(orderId, out var entry) ? entry.ToStatus(orderId) : null;
        }
    }

    public void Placed(OrderPlaced order) => Update(order.OrderId, entry => entry.PlacedAt ??= order.PlacedAt);

    public void Confirmed(OrderConfirmed order) => Update(order.OrderId, entry =>
    {
        entry.PlacedAt ??= order.PlacedAt;
        entry.Price = new OrderPrice(order.Lines, order.Subtotal, order.DeliveryFee, order.Tax, order.Total, order.Currency, order.ConfirmedAt);
    });

    public void Rejected(OrderRejected order)
    {
        // Rejected for its id alone, it is another order sent under the id of the order tracked here, whose own
        // outcome stands.
        if (order.Reason == RejectionReasons.OrderIdInUse)
        {
            return;
        }

        Update(order.OrderId, entry =>
        {
            entry.PlacedAt ??= order.PlacedAt;
            entry.Rejection = new OrderRejection(Short(order.Reason), Short(order.Message), order.RejectedAt);
        });
    }

    public void EmailSent(EmailSent email) => Update(email.OrderId, entry => entry.Email = new OrderEmail(OrderStatuses.EmailSent, email.SentAt, null));

    // A later success (a retry after the failure was published) is not undone by the failure.
    public void EmailFailed(EmailFailed email) => Update(email.OrderId, entry =>
        entry.Email = entry.Email is { Status: OrderStatuses.EmailSent } ? entry.Email : new OrderEmail(OrderStatuses.EmailFailed, email.FailedAt, Short(email.Message)));

    // What a customer reads is a sentence; a longer text is cut rather than kept whole for every order.
    private static string Short(string text) => text.Length <= 500 ? text : string.Concat(text.AsSpan(0, 500), "…");

    private void Update(Guid orderId, Action<Entry> update)
    {
        lock (_lock)
        {
            if (!_orders.TryGetValue(orderId, out var entry))
            {
                _orders[orderId] = entry = new Entry();
                _arrival.Enqueue(orderId);
                if (_orders.Count > _maxOrders)
                {
                    _orders.Remove(_arrival.Dequeue());
                }
            }

            update(entry);
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset? PlacedAt { get; set; }

        public OrderPrice? Price { get; set; }

        public OrderRejection? Rejection { get; set; }

        public OrderEmail? Email { get; set; }

        public OrderStatus ToStatus(Guid orderId)
        {
            var status = Rejection is not null ? OrderStatuses.Rejected : Price is not null ? OrderStatuses.Confirmed : OrderStatuses.Received;
            return new OrderStatus(orderId, status, PlacedAt, Price, Rejection, Email);
        }
    }
}
