using FoodOrdering.Contracts;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// Where <c>Idempotency-Key</c>s are pinned to their orders: in this instance's memory
/// (<see cref="InMemoryIdempotencyKeys"/>) or, shared by every replica, in Redis (<see cref="RedisIdempotencyKeys"/>).
/// </summary>
internal interface IIdempotencyKeys
{
    /// <summary>
    /// What a request with <paramref name="key"/> does: publish (a new order from <paramref name="newOrder"/>, or
    /// the key's pinned order again), wait for the publish in flight, or take an answer at once. Only one claim
    /// at a time may publish for a key. A new key counts in the share of <paramref name="client"/>; a known key is
    /// answered whoever sends it, so a retry from another address still finds its order.
    /// </summary>
    ValueTask<KeyClaim> ClaimAsync(string client, string key, byte[] fingerprint, Func<OrderPlaced> newOrder);

    /// <summary>
    /// Records how the publish of <paramref name="keyed"/> ended; returns what is known. A key whose order may be on
    /// the log stays pinned to it; a key is free again only when its order is certainly not on the log.
    /// </summary>
    ValueTask<Placement> SettleAsync(KeyedOrder keyed, Placement outcome);
}
