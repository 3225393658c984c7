using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Tracking;

/// <summary>
/// The latest known state of recent orders, put together from the outcome topics (<see cref="OrderTrackingWorker"/>)
/// and the orders this instance placed. Outcomes of different topics arrive in any order, so each fills its own part;
/// a repeat (at-least-once) overwrites with the same facts. Bounded twice over. An order placed here for an API client
/// is kept (<see cref="Keep"/>) for <see cref="OrderTrackingOptions.KeepPlacedFor"/>, whatever else comes: at most
/// <see cref="OrderTrackingOptions.MaxKeptOrdersPerClient"/> per client and <see cref="OrderTrackingOptions.MaxKeptOrders"/>
/// in all, past which that client's (or the instance's) oldest kept order joins the others. Every other order (the
/// generator's, other instances', kept ones whose time is up) is one of the last
/// <see cref="OrderTrackingOptions.MaxOrders"/> seen, the one seen longest ago forgotten first.
/// </summary>
internal sealed class OrderTrackingBoard(IOptions<OrderTrackingOptions> options, TimeProvider time)
{
    private readonly Dictionary<Guid, Entry> _orders = [];
    private readonly LinkedList<Entry> _seen = new();
    private readonly LinkedList<Entry> _kept = new();
    private readonly Dictionary<string, LinkedList<Entry>> _keptByClient = new(StringComparer.Ordinal);
    private readonly OrderTrackingOptions _options = options.Value;
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
            return _orders.TryGetValue(orderId, out var entry) ? entry.ToStatus() : null;
        }
    }

    public void Placed(OrderPlaced order) => Update(order.OrderId, entry => entry.PlacedAt ??= order.PlacedAt);

    /// <summary>
    /// Keeps an order placed here for <paramref name="client"/> findable for
    /// <see cref="OrderTrackingOptions.KeepPlacedFor"/> from now, within the client's and the instance's bounds.
    /// </summary>
    public void Keep(OrderPlaced order, string client)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var entry = Track(order.OrderId);
            entry.PlacedAt ??= order.PlacedAt;
            if (entry.Kept is not null)
            {
                return;
            }

            _seen.Remove(entry.Node);
            if (!_keptByClient.TryGetValue(client, out var clients))
            {
                _keptByClient[client] = clients = new LinkedList<Entry>();
            }

            entry.Kept = new KeptOrder(client, now + _options.KeepPlacedFor, clients.AddLast(entry));
            _kept.AddLast(entry.Node);
            while (_kept.First is { } oldest && oldest.Value.Kept!.Until <= now)
            {
                Release(oldest.Value);
            }

            if (clients.Count > _options.MaxKeptOrdersPerClient)
            {
                Release(clients.First!.Value);
            }

            if (_kept.Count > _options.MaxKeptOrders)
            {
                Release(_kept.First!.Value);
            }

            ForgetPastLimit();
        }
    }

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
            update(Track(orderId));
            ForgetPastLimit();
        }
    }

    private Entry Track(Guid orderId)
    {
        if (!_orders.TryGetValue(orderId, out var entry))
        {
            _orders[orderId] = entry = new Entry(orderId);
            _seen.AddLast(entry.Node);
        }

        return entry;
    }

    // A kept order whose time or room is up is one of the others from now on, seen last.
    private void Release(Entry entry)
    {
        var kept = entry.Kept!;
        _kept.Remove(entry.Node);
        var clients = kept.ClientNode.List!;
        clients.Remove(kept.ClientNode);
        if (clients.Count == 0)
        {
            _keptByClient.Remove(kept.Client);
        }

        entry.Kept = null;
        _seen.AddLast(entry.Node);
    }

    private void ForgetPastLimit()
    {
        while (_seen.Count > _options.MaxOrders)
        {
            var oldest = _seen.First!.Value;
            _seen.RemoveFirst();
            _orders.Remove(oldest.OrderId);
        }
    }

    private sealed record KeptOrder(string Client, DateTimeOffset Until, LinkedListNode<Entry> ClientNode);

    private sealed class Entry
    {
        public Entry(Guid orderId)
        {
            OrderId = orderId;
            Node = new LinkedListNode<Entry>(this);
        }

        public Guid OrderId { get; }

        /// <summary>Its place among the kept orders or among the others.</summary>
        public LinkedListNode<Entry> Node { get; }

        public KeptOrder? Kept { get; set; }

        public DateTimeOffset? PlacedAt { get; set; }

        public OrderPrice? Price { get; set; }

        public OrderRejection? Rejection { get; set; }

        public OrderEmail? Email { get; set; }

        public OrderStatus ToStatus()
        {
            var status = Rejection is not null ? OrderStatuses.Rejected : Price is not null ? OrderStatuses.Confirmed : OrderStatuses.Received;
            return new OrderStatus(OrderId, status, PlacedAt, Price, Rejection, Email);
        }
    }
}
