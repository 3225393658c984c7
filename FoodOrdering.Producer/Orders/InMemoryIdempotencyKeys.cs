using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// The <c>Idempotency-Key</c>s this instance holds, for a Producer without Redis, each pinned to the one order it created: at most
/// <see cref="OrderApiOptions.RememberedKeys"/>, each for <see cref="OrderApiOptions.RememberFor"/> after its latest
/// outcome, in memory (gone after a restart, and per instance). A key is let go early only when its order is
/// certainly not on the log. When the store is full even after dropping expired keys, a new key is refused
/// before anything is published: a key stored nowhere would let its retry place the order twice.
/// </summary>
internal sealed class InMemoryIdempotencyKeys(IOptions<OrderApiOptions> options, TimeProvider time) : IIdempotencyKeys
{
    private readonly Dictionary<string, KeyedOrder> _keys = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    // No key expires before this; a full store is scanned for expired keys only once it has passed.
    private DateTimeOffset _earliestExpiry = DateTimeOffset.MaxValue;

    public ValueTask<KeyClaim> ClaimAsync(string key, byte[] fingerprint, Func<OrderPlaced> newOrder) =>
        ValueTask.FromResult(Claim(key, fingerprint, newOrder));

    public ValueTask<Placement> SettleAsync(KeyedOrder keyed, Placement outcome) =>
        ValueTask.FromResult(Settle(keyed, outcome));

    private KeyClaim Claim(string key, byte[] fingerprint, Func<OrderPlaced> newOrder)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_keys.TryGetValue(key, out var held) && held.HasExpired(now))
            {
                _keys.Remove(key);
                held = null;
            }

            if (held is not null)
            {
                if (!held.Fingerprint.AsSpan().SequenceEqual(fingerprint))
                {
                    return new KeyClaim(Answer: new Placement.Conflict());
                }

                if (held.State == KeyedOrderState.Placed)
                {
                    return new KeyClaim(Answer: new Placement.Placed(held.Order, Replayed: true));
                }

                if (held.Attempt is { } inFlight)
                {
                    return new KeyClaim(Pending: inFlight.Task);
                }

                held.Attempt = NewAttempt();
                return new KeyClaim(Publish: held);
            }

            if (_keys.Count >= options.Value.RememberedKeys && !DropExpired(now))
            {
                return new KeyClaim(Answer: new Placement.KeysFull(_earliestExpiry - now));
            }

            var created = new KeyedOrder(key, fingerprint, newOrder(), now + options.Value.RememberFor) { Attempt = NewAttempt() };
            _keys.Add(key, created);
            _earliestExpiry = Min(_earliestExpiry, created.ExpiresAt);
            return new KeyClaim(Publish: created);
        }
    }

    private Placement Settle(KeyedOrder keyed, Placement outcome)
    {
        TaskCompletionSource<Placement> attempt;
        lock (_lock)
        {
            attempt = keyed.Attempt!;
            keyed.Attempt = null;
            keyed.ExpiresAt = time.GetUtcNow() + options.Value.RememberFor;
            switch (outcome)
            {
                case Placement.Placed:
                    keyed.State = KeyedOrderState.Placed;
                    break;
                case Placement.NotPlaced when !keyed.MayBeOnTheLog:
                    _keys.Remove(keyed.Key);
                    break;
                default:
                    // This publish may have landed, or an earlier one may have: either way the order may be out there.
                    keyed.MayBeOnTheLog = true;
                    outcome = new Placement.MaybePlaced(keyed.Order, KeyPinned: true);
                    break;
            }
        }

        attempt.SetResult(outcome);
        return outcome;
    }

    private bool DropExpired(DateTimeOffset now)
    {
        if (now < _earliestExpiry)
        {
            return false;
        }

        var before = _keys.Count;
        var earliest = DateTimeOffset.MaxValue;
        foreach (var (key, keyed) in _keys)
        {
            if (keyed.HasExpired(now))
            {
                _keys.Remove(key);
            }
            else
            {
                earliest = Min(earliest, keyed.ExpiresAt);
            }
        }

        _earliestExpiry = earliest;
        return _keys.Count < before;
    }

    private static TaskCompletionSource<Placement> NewAttempt() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
