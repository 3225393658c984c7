using FoodOrdering.Contracts;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// The orders this instance accepted recently, by order id and by <c>Idempotency-Key</c>: at most
/// <see cref="OrderApiOptions.RememberedOrders"/> of each, each for <see cref="OrderApiOptions.RememberFor"/>,
/// in memory (gone after a restart, and per instance when the Producer has replicas).
/// </summary>
internal sealed class AcceptedOrders(IOptions<OrderApiOptions> options) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 2L * options.Value.RememberedOrders });
    private readonly Lock _lock = new();

    public OrderPlaced? Find(Guid orderId) => _cache.Get<OrderPlaced>(OrderKey(orderId));

    /// <summary>
    /// Runs <paramref name="place"/> once per idempotency key. A retry with the same key and the same request
    /// gets the first order back (also while the first attempt is still publishing); a failed attempt frees the
    /// key; the same key with a different request is a conflict.
    /// </summary>
    public async Task<Placement> PlaceOnceAsync(string? idempotencyKey, byte[] requestFingerprint, Func<Task<OrderPlaced>> place)
    {
        if (idempotencyKey is null)
        {
            return new Placement(Remember(await place()), Replayed: false);
        }

        var cacheKey = $"idempotency:{idempotencyKey}";
        Attempt attempt;
        bool first;
        lock (_lock)
        {
            first = !_cache.TryGetValue(cacheKey, out Attempt? existing);
            attempt = existing ?? _cache.Set(cacheKey, new Attempt(requestFingerprint), Entry());
        }

        if (!attempt.RequestFingerprint.AsSpan().SequenceEqual(requestFingerprint))
        {
            return Placement.Conflict;
        }

        if (!first)
        {
            return new Placement(await attempt.Order.Task, Replayed: true);
        }

        try
        {
            var order = Remember(await place());
            attempt.Order.SetResult(order);
            return new Placement(order, Replayed: false);
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                _cache.Remove(cacheKey);
            }

            attempt.Order.SetException(e);
            _ = attempt.Order.Task.Exception; // observed here: waiting retries rethrow it themselves
            throw;
        }
    }

    public void Dispose() => _cache.Dispose();

    private OrderPlaced Remember(OrderPlaced order) => _cache.Set(OrderKey(order.OrderId), order, Entry());

    private MemoryCacheEntryOptions Entry() => new() { Size = 1, AbsoluteExpirationRelativeToNow = options.Value.RememberFor };

    private static string OrderKey(Guid orderId) => $"order:{orderId}";

    private sealed class Attempt(byte[] requestFingerprint)
    {
        public byte[] RequestFingerprint { get; } = requestFingerprint;

        public TaskCompletionSource<OrderPlaced> Order { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

internal sealed record Placement(OrderPlaced? Order, bool Replayed)
{
    public static Placement Conflict { get; } = new(null, false);
}
