using Microsoft.Extensions.Options;

namespace FoodOrdering.Emails;

/// <summary>
/// The last <see cref="EmailOptions.RememberedOrders"/> order ids whose confirmation was sent (or failed for good),
/// oldest forgotten first. It lives in memory: after a restart a redelivered confirmation can be sent twice, and
/// the deterministic Message-Id lets the receiving side drop it.
/// </summary>
internal sealed class RecentlySentOrders(IOptions<EmailOptions> options)
{
    private readonly HashSet<Guid> _ids = [];
    private readonly Queue<Guid> _order = new();
    private readonly Lock _lock = new();

    public bool Contains(Guid orderId)
    {
        lock (_lock)
        {
            return _ids.Contains(orderId);
        }
    }

    public void Add(Guid orderId)
    {
        lock (_lock)
        {
            if (!_ids.Add(orderId))
            {
                return;
            }

            _order.Enqueue(orderId);
            if (_order.Count > options.Value.RememberedOrders)
            {
                _ids.Remove(_order.Dequeue());
            }
        }
    }
}
