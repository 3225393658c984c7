using System.Globalization;
using System.Text.Json;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// <c>Idempotency-Key</c>s in Redis, shared by every Producer replica, so a retry that reaches another replica
/// gets the same order. Each key is a hash (the request's fingerprint, the pinned order, its state, the current
/// claimant) kept for <see cref="OrderApiOptions.RememberFor"/> after its latest outcome, plus a lease key that
/// exists while one claimant publishes. Claiming and settling are Lua scripts, so each is atomic on the server:
/// two replicas can never both hold the claim to publish for one key. A claimant that crashes mid-publish loses
/// its claim when the lease (<see cref="OrderApiOptions.ClaimLease"/>) expires; the next request takes it over,
/// marks the order as possibly on the log and publishes that same pinned order again (consumers de-duplicate by
/// order id). When Redis cannot be asked, a keyed order is refused before anything is published. Each client's
/// new keys are also counted in its share (a sorted set of its keys by expiry, taken before the claim), so one client
/// holding <see cref="OrderApiOptions.RememberedKeysPerClient"/> keys is refused alone.
/// </summary>
/// <remarks>
/// Plain StackExchange.Redis, not HybridCache: a claim is a compare-and-set that must be decided by the one shared
/// server, which a cache (with its local layer and last-writer-wins sets) cannot promise.
/// </remarks>
internal sealed partial class RedisIdempotencyKeys(
    IConnectionMultiplexer redis, IOptions<OrderApiOptions> options, ILogger<RedisIdempotencyKeys> logger) : IIdempotencyKeys
{
    private const string KeyPrefix = "food-ordering:idempotency-key:";
    private const string SharePrefix = "food-ordering:idempotency-client:";
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    // KEYS: the key's hash, its lease. ARGV: fingerprint, the new order's JSON, claimant, lease ms, remember-for ms.
    private const string ClaimScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'order', ARGV[2], 'state', 'unconfirmed', 'claimant', ARGV[3], 'maybe', '0')
          redis.call('PEXPIRE', KEYS[1], ARGV[5])
          redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
          return {'publish', ARGV[2], 'new'}
        end
        local held = redis.call('HMGET', KEYS[1], 'fingerprint', 'order', 'state', 'claimant')
        if held[1] ~= ARGV[1] then return {'conflict'} end
        if held[3] == 'placed' then return {'placed', held[2]} end
        if redis.call('EXISTS', KEYS[2]) == 1 then return {'pending'} end
        if held[4] ~= '' then
          redis.call('HSET', KEYS[1], 'maybe', '1')
        end
        redis.call('HSET', KEYS[1], 'claimant', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
        return {'publish', held[2]}
        """;

    // The server's clock, so that every replica counts a share alike. KEYS: the client's share. ARGV: the key,
    // remember-for ms, the share's size. Returns whether the key was added, or 'full' and ms until room.
    private const string TakeShareScript = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {'held'} end
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
          local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
          return {'full', tostring(tonumber(first[2]) - now)}
        end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return {'added'}
        """;

    // KEYS: the client's share. ARGV: the key, remember-for ms, whether the key was freed ('1') or kept ('0').
    private const string SettleShareScript = """
        if ARGV[3] == '1' then return redis.call('ZREM', KEYS[1], ARGV[1]) end
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        redis.call('ZADD', KEYS[1], 'XX', 'GT', now + tonumber(ARGV[2]), ARGV[1])
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        """;

    // A lease that ran out with its claimant unsettled (the 'claimant' field still set) means that publish may have
    // landed, so the taker-over marks the order 'maybe' and the key can no longer be freed.
    // KEYS: the key's hash, its lease. ARGV: claimant, outcome (placed | notplaced | maybe), remember-for ms, order JSON.
    private const string SettleScript = """
        local held = redis.call('HMGET', KEYS[1], 'order', 'state', 'claimant', 'maybe')
        -- Forgotten (or reused) while this publish ran: there is no pinned order left to record the outcome on.
        if held[1] ~= ARGV[4] then
          if ARGV[2] == 'notplaced' then return 'free' end
          return ARGV[2]
        end
        local owns = held[3] == ARGV[1]
        if owns then
          redis.call('HSET', KEYS[1], 'claimant', '')
          if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
        end
        if ARGV[2] == 'placed' or held[2] == 'placed' then
          redis.call('HSET', KEYS[1], 'state', 'placed')
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          return 'placed'
        end
        if ARGV[2] == 'notplaced' and owns and held[4] == '0' then
          redis.call('DEL', KEYS[1])
          return 'free'
        end
        if ARGV[2] == 'maybe' then redis.call('HSET', KEYS[1], 'maybe', '1') end
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 'maybe'
        """;

    public async ValueTask<KeyClaim> ClaimAsync(string client, string key, byte[] fingerprint, Func<OrderPlaced> newOrder)
    {
        RedisResult[] share;
        try
        {
            share = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(TakeShareScript, [Share(client)],
                [key, (long)options.Value.RememberFor.TotalMilliseconds, options.Value.RememberedKeysPerClient]))!;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogUnavailable(logger, e.GetType().Name, e.Message);
            return new KeyClaim(Answer: new Placement.KeysUnavailable());
        }

        if ((string?)share[0] == "full")
        {
            return new KeyClaim(Answer: new Placement.ClientKeysFull(TimeSpan.FromMilliseconds(double.Parse((string)share[1]!, CultureInfo.InvariantCulture))));
        }

        var claim = await ClaimKeyAsync(client, key, fingerprint, newOrder);
        if ((string?)share[0] == "added" && claim.Publish is not { IsNew: true })
        {
            // The key was another client's, or this one's before its share was counted: it takes none of this share.
            await SettleShareAsync(client, key, freed: true);
        }

        return claim;
    }

    private async ValueTask<KeyClaim> ClaimKeyAsync(string client, string key, byte[] fingerprint, Func<OrderPlaced> newOrder)
    {
        var claimant = Guid.NewGuid().ToString("N");
        var order = JsonSerializer.Serialize(newOrder(), ContractsJsonContext.Default.OrderPlaced);
        var wait = FirstPoll;
        while (true)
        {
            RedisResult[] result;
            try
            {
                result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ClaimScript, Keys(key),
                [
                    Convert.ToBase64String(fingerprint), order, claimant,
                    (long)options.Value.ClaimLease.TotalMilliseconds, (long)options.Value.RememberFor.TotalMilliseconds,
                ]))!;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogUnavailable(logger, e.GetType().Name, e.Message);
                return new KeyClaim(Answer: new Placement.KeysUnavailable());
            }

            switch ((string?)result[0])
            {
                case "publish":
                    return new KeyClaim(Publish: new KeyedOrder(key, fingerprint, Order(result[1]), DateTimeOffset.MaxValue)
                    {
                        Client = client, Claimant = claimant, IsNew = result.Length > 2,
                    });
                case "conflict":
                    return new KeyClaim(Answer: new Placement.Conflict());
                case "placed":
                    return new KeyClaim(Answer: new Placement.Placed(Order(result[1]), Replayed: true));
                default:
                    // Another replica is publishing this key's order: wait for its outcome, or for its lease to run out.
                    await Task.Delay(wait);
                    wait = wait * 2 > LongestPoll ? LongestPoll : wait * 2;
                    break;
            }
        }
    }

    public async ValueTask<Placement> SettleAsync(KeyedOrder keyed, Placement outcome)
    {
        var settled = outcome switch
        {
            Placement.Placed => "placed",
            Placement.NotPlaced => "notplaced",
            _ => "maybe",
        };
        try
        {
            var result = (string?)await redis.GetDatabase().ScriptEvaluateAsync(SettleScript, Keys(keyed.Key),
            [
                keyed.Claimant!, settled, (long)options.Value.RememberFor.TotalMilliseconds,
                JsonSerializer.Serialize(keyed.Order, ContractsJsonContext.Default.OrderPlaced),
            ]);
            settled = result ?? settled;
            await SettleShareAsync(keyed.Client, keyed.Key, freed: settled == "free");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The key still names this claimant: once its lease runs out, a retry takes it over and publishes this
            // same order, so the answer below stays true.
            LogUnsettled(logger, keyed.Order.OrderId, e.GetType().Name, e.Message);
        }

        return settled switch
        {
            "placed" => outcome as Placement.Placed ?? new Placement.Placed(keyed.Order, Replayed: true),
            "free" => new Placement.NotPlaced(),
            "notplaced" => new Placement.NotPlaced(),
            _ => new Placement.MaybePlaced(keyed.Order, KeyPinned: true),
        };
    }

    private async Task SettleShareAsync(string client, string key, bool freed)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(SettleShareScript, [Share(client)],
                [key, (long)options.Value.RememberFor.TotalMilliseconds, freed ? "1" : "0"]);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The share then counts the key until its entry there expires, a little early or late: never an order.
            LogUnavailable(logger, e.GetType().Name, e.Message);
        }
    }

    private static RedisKey Share(string client) => $"{SharePrefix}{{{client}}}";

    private static RedisKey[] Keys(string key)
    {
        // The braces make both keys one hash slot, as a script on a Redis cluster needs.
        var hash = $"{KeyPrefix}{{{key}}}";
        return [hash, $"{hash}:lease"];
    }

    private static OrderPlaced Order(RedisResult json) =>
        JsonSerializer.Deserialize((string)json!, ContractsJsonContext.Default.OrderPlaced)!;

    [LoggerMessage(EventId = 6100, Level = LogLevel.Error,
        Message = "The idempotency key store (Redis) could not be asked ({Error}: {Reason}); orders with an Idempotency-Key are refused until it can")]
    private static partial void LogUnavailable(ILogger logger, string error, string reason);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning,
        Message = "The outcome of order {OrderId} could not be recorded in Redis ({Error}: {Reason}); its key stays pinned to it and is taken over when its claim lease runs out")]
    private static partial void LogUnsettled(ILogger logger, Guid orderId, string error, string reason);
}
