using System.Text.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Producer.Generator;
using FoodOrdering.Transactions;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Benchmarks.Load;

/// <summary>
/// Realistic orders from the Producer's own generator (seeded, so runs are repeatable), and their confirmations as
/// Transactions' own pricer makes them, for the scenarios that start further down the pipeline.
/// </summary>
internal sealed class OrderSource(int seed)
{
    private readonly OrderGenerator _generator = new(Options.Create(new OrderGeneratorOptions { Seed = seed }), TimeProvider.System);
    private readonly OrderPricer _pricer = new(Options.Create(new PricingOptions()), TimeProvider.System);

    // A record's key (a 36-character order id) and its framing in a record batch.
    private const int RecordOverheadBytes = 60;

    public OrderPlaced NextOrder() => _generator.Next();

    /// <summary>About how many bytes <paramref name="count"/> received orders take on a topic.</summary>
    public static long EstimateOrderBytes(int seed, int count) =>
        Estimate(count, new OrderSource(seed), source => JsonSerializer.SerializeToUtf8Bytes(source.NextOrder(), ContractsJsonContext.Default.OrderPlaced).Length);

    /// <summary>About how many bytes <paramref name="count"/> confirmations take on a topic.</summary>
    public static long EstimateConfirmationBytes(int seed, int count) =>
        Estimate(count, new OrderSource(seed), source => JsonSerializer.SerializeToUtf8Bytes(source.NextConfirmation(), ContractsJsonContext.Default.OrderConfirmed).Length);

    /// <summary>The next generated order, priced; the generator only picks items on the menu, so it always confirms.</summary>
    public OrderConfirmed NextConfirmation() => _pricer.Price(_generator.Next()) switch
    {
        PricingResult.Confirmed confirmed => confirmed.Order,
        var other => throw new InvalidOperationException($"A generated order was not confirmed: {other}"),
    };

    private static long Estimate(int count, OrderSource source, Func<OrderSource, int> size)
    {
        const int Samples = 200;
        var sampled = Enumerable.Range(0, Samples).Sum(_ => size(source) + RecordOverheadBytes);
        return (long)((double)sampled / Samples * count);
    }
}
