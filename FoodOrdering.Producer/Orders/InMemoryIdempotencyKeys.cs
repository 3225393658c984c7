using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// The <c>Idempotency-Key</c>s this instance holds, for a Producer without Redis, each pinned to the one order it created: at most
/// <see cref="OrderApiOptions.RememberedKeys"/>, and at most <see cref="OrderApiOptions.RememberedKeysPerClient"/> first
/// sent by one client, each for <see cref="OrderApiOptions.RememberFor"/> after its latest outcome, in memory (gone
/// after a restart, and per instance). A key is let go early only when its order is certainly not on the log. A new
/// key beyond a client's share, or beyond the whole store, is refused before anything is published (a key stored
/// nowhere would let its retry place the order twice), so filling its share is a refusal for that client alone.
/// </summary>
internal sealed class InMemoryIdempotencyKeys(IOptions<OrderApiOptions> options, TimeProvider time) : IIdempotencyKeys
{
    private readonly Dictionary<string, KeyedOrder> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientKeys> _clients = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    // No key expires before this; a full store is scanned for expired keys only once it has passed.
    private DateTimeOffset _earliestExpiry = DateTimeOffset.MaxValue;

    public ValueTask<KeyClaim> ClaimAsync(string client, string key, byte[] fingerprint, Func<OrderPlaced> newOrder) =>
        ValueTask.FromResult(Claim(client, key, fingerprint, newOrder));

    public ValueTask<Placement> SettleAsync(KeyedOrder keyed, Placement outcome) =>
        ValueTask.FromResult(Settle(keyed, outcome));

    private KeyClaim Claim(string client, string key, byte[] fingerprint, Func<OrderPlaced> newOrder)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_keys.TryGetValue(key, out var held) && held.HasExpired(now))
            {
                Forget(held);
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

            var share = _clients.GetValueOrDefault(client);
            if (share is not null && share.Keys.Count >= options.Value.RememberedKeysPerClient && !DropExpired(share, now))
            {
                return new KeyClaim(Answer: new Placement.ClientKeysFull(share.EarliestExpiry - now));
            }

            if (_keys.Count >= options.Value.RememberedKeys && !DropExpired(now))
            {
                return new KeyClaim(Answer: new Placement.KeysFull(_earliestExpiry - now));
            }

            var created = new KeyedOrder(key, fingerprint, newOrder(), now + options.Value.RememberFor) { Client = client, Attempt = NewAttempt() };
            _keys.Add(key, created);
            _earliestExpiry = Min(_earliestExpiry, created.ExpiresAt);
            if (!_clients.TryGetValue(client, out share))
            {
                _clients[client] = share = new ClientKeys();
            }

            share.Keys.Add(key);
            share.EarliestExpiry = Min(share.EarliestExpiry, created.ExpiresAt);
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
                    Forget(keyed);
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
        _earliestExpiry = ForgetExpired(_keys.Values, now);
        return _keys.Count < before;
    }

    // The same for one client's share; its earliest expiry is then exact, for an honest Retry-After.
    private bool DropExpired(ClientKeys share, DateTimeOffset now)
    {
        if (now < share.EarliestExpiry)
        {
            return false;
        }

        var before = share.Keys.Count;
        share.EarliestExpiry = ForgetExpired([.. share.Keys.Select(key => _keys[key])], now);
        return share.Keys.Count < before;
    }

    /// <summary>Forgets the expired ones among <paramref name="keys"/>; returns when the first of the rest expires.</summary>
    private DateTimeOffset ForgetExpired(IEnumerable<KeyedOrder> keys, DateTimeOffset now)
    {
        var earliest = DateTimeOffset.MaxValue;
        foreach (var keyed in keys)
        {
            if (keyed.HasExpired(now))
            {
                Forget(keyed);
            }
            else
            {
                earliest = Min(earliest, keyed.ExpiresAt);
            }
        }

        return earliest;
    }

    private void Forget(KeyedOrder keyed)
    {
        _keys.Remove(keyed.Key);
        var share = _clients[keyed.Client];
        share.Keys.Remove(keyed.Key);
        if (share.Keys.Count == 0)
        {
            _clients.Remove(keyed.Client);
        }
    }

    private static TaskCompletionSource<Placement> NewAttempt() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The keys one client sent first, and when the first of them expires at the earliest.</summary>
    private sealed class ClientKeys
    {
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset EarliestExpiry { get; set; } = DateTimeOffset.MaxValue;
    }
}
