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

    public OrderPlaced NextOrder() => _generator.Next();

    /// <summary>The next generated order, priced; the generator only picks items on the menu, so it always confirms.</summary>
    public OrderConfirmed NextConfirmation() => _pricer.Price(_generator.Next()) switch
    {
        PricingResult.Confirmed confirmed => confirmed.Order,
        var other => throw new InvalidOperationException($"A generated order was not confirmed: {other}"),
    };
}
