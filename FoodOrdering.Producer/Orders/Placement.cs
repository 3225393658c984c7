using FoodOrdering.Contracts;

namespace FoodOrdering.Producer.Orders;

/// <summary>What became of a request to place an order: exactly what is known, no more.</summary>
internal abstract record Placement
{
    private Placement()
    {
    }

    /// <summary>On the log: the broker acknowledged it, for this request or an earlier one with the same key.</summary>
    public sealed record Placed(OrderPlaced Order, bool Replayed) : Placement;

    /// <summary>The key was used for a different order.</summary>
    public sealed record Conflict : Placement;

    /// <summary>Certainly not on the log; the key, if any, is free again.</summary>
    public sealed record NotPlaced : Placement;

    /// <summary>
    /// Kafka did not confirm: the order may be on the log. With a key, the key stays pinned to this very order, so
    /// a retry publishes it again under the same id.
    /// </summary>
    public sealed record MaybePlaced(OrderPlaced Order, bool KeyPinned) : Placement;

    /// <summary>No room to remember another key: refused before anything was published.</summary>
    public sealed record KeysFull(TimeSpan RetryAfter) : Placement;

    /// <summary>
    /// The client holds its whole share of keys (<see cref="OrderApiOptions.RememberedKeysPerClient"/>): refused before
    /// anything was published; room comes when the first of its keys expires.
    /// </summary>
    public sealed record ClientKeysFull(TimeSpan RetryAfter) : Placement;

    /// <summary>The shared key store (Redis) could not be asked: refused before anything was published.</summary>
    public sealed record KeysUnavailable : Placement;
}
