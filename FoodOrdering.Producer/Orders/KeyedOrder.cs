using FoodOrdering.Contracts;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// One <c>Idempotency-Key</c> and the order it created; in memory changed only under
/// <see cref="InMemoryIdempotencyKeys"/>' lock.
/// </summary>
internal sealed class KeyedOrder(string key, byte[] fingerprint, OrderPlaced order, DateTimeOffset expiresAt)
{
    public string Key { get; } = key;

    /// <summary>A hash of the request that created the order: the same key with another body is a conflict.</summary>
    public byte[] Fingerprint { get; } = fingerprint;

    /// <summary>The order, fixed when the key is first used: every publish of this key is this very message.</summary>
    public OrderPlaced Order { get; } = order;

    /// <summary>The client that first sent the key (<see cref="Clients.ClientAddresses"/>), whose share it counts in.</summary>
    public required string Client { get; init; }

    /// <summary>In Redis, the token of the claim that publishes it: only that claim may settle the key.</summary>
    public string? Claimant { get; init; }

    /// <summary>In Redis, whether this claim created the key rather than took over one already there.</summary>
    public bool IsNew { get; init; }

    public KeyedOrderState State { get; set; } = KeyedOrderState.Unconfirmed;

    /// <summary>The publish in flight, which retries with this key wait for.</summary>
    public TaskCompletionSource<Placement>? Attempt { get; set; }

    /// <summary>Some publish of this order went unconfirmed, so it may be on the log whatever later publishes say.</summary>
    public bool MayBeOnTheLog { get; set; }

    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    public bool HasExpired(DateTimeOffset now) => Attempt is null && ExpiresAt <= now;
}

internal enum KeyedOrderState
{
    /// <summary>Being published, or published without a confirmation (<see cref="KeyedOrder.MayBeOnTheLog"/>).</summary>
    Unconfirmed,

    /// <summary>The broker acknowledged it.</summary>
    Placed,
}
