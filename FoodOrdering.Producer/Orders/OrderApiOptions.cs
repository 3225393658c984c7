using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Producer.Orders;

internal sealed class OrderApiOptions
{
    public const string SectionName = SettingsSections.OrderApi;

    /// <summary>Bodies larger than this get 413; a 20-line order is well under 4 KiB.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// How many <c>Idempotency-Key</c>s (each with the order it placed; their size is in bench/README.md#memory) this
    /// instance holds at most in memory (not with Redis, which keeps each for <see cref="RememberFor"/>); a new key beyond that gets 503 until one expires, so no key is ever forgotten early.
    /// </summary>
    [Range(1, 10_000_000)]
    public int RememberedKeys { get; set; } = 50_000;

    /// <summary>
    /// How many of the remembered keys one client (see <see cref="Clients.ClientAddresses"/>) may hold, in memory and in
    /// Redis alike; a new key beyond that gets 429 for that client alone until the first of its keys expires. It takes
    /// <see cref="RememberedKeys"/> / this many clients to fill an instance's memory.
    /// </summary>
    [Range(1, 10_000_000)]
    public int RememberedKeysPerClient { get; set; } = 1_000;

    /// <summary>
    /// How long, with keys in Redis, a replica's claim to publish a key's order holds before another replica may
    /// take it over and publish the same pinned order again (the holder may have crashed mid-publish). Longer than
    /// the Kafka producer's <c>message.timeout.ms</c> (10 s), so a live holder settles before its lease runs out; a
    /// takeover of a live one is still safe (the same message twice, one order id), only wasteful.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a key is remembered after its latest outcome.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RememberFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>What a client is told to wait (<c>Retry-After</c>) when Kafka did not take an order.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// Orders one client (see <see cref="Clients.ClientAddresses"/>) may place per second; more get 429 with <c>Retry-After</c>.
    /// 0 turns the limit off (load tests from one address).
    /// </summary>
    [Range(0, 1_000_000)]
    public int OrdersPerSecondPerClient { get; set; } = 50;
}
