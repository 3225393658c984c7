using Microsoft.Extensions.Options;

namespace FoodOrdering.Emails;

/// <summary>
/// The last <see cref="EmailOptions.RememberedOrders"/> order ids whose confirmation was sent (or failed for good),
/// and which of the two, oldest forgotten first. It lives in memory and is read back from the outcome topics at start
/// (<see cref="RecentlySentOrdersRecovery"/>); an email sent but not announced before a crash can be sent twice, and
/// the deterministic Message-Id lets the receiving side drop it.
/// </summary>
internal sealed class RecentlySentOrders(IOptions<EmailOptions> options)
{
    private readonly Dictionary<Guid, bool> _ids = [];
    private readonly Queue<Guid> _order = new();
    private readonly Lock _lock = new();

    /// <summary>Whether the order's confirmation was dealt with; if so, <paramref name="emailed"/> says whether it was sent.</summary>
    public bool TryGet(Guid orderId, out bool emailed)
    {
        lock (_lock)
        {
            return _ids.TryGetValue(orderId, out emailed);
        }
    }

    public void Add(Guid orderId, bool emailed)
    {
        lock (_lock)
        {
            if (!_ids.TryAdd(orderId, emailed))
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
