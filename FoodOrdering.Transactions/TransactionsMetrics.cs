using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FoodOrdering.Transactions;

/// <summary>
/// Business metrics of order processing, on the service's meter. Recorded only after a transaction committed, so
/// an aborted and replayed batch is never counted twice.
/// </summary>
internal sealed class TransactionsMetrics
{
    private readonly Counter<long> _confirmed;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _revenueCents;
    private readonly Counter<long> _itemsSold;
    private readonly Histogram<double> _confirmationLatency;
    private readonly Histogram<long> _orderValueCents;
    private readonly Counter<long> _transactionsAborted;
    private readonly TimeProvider _time;

    public TransactionsMetrics(IMeterFactory meterFactory, IHostEnvironment environment, TimeProvider time)
    {
        var meter = meterFactory.Create(environment.ApplicationName);
        _confirmed = meter.CreateCounter<long>("foodordering.orders.confirmed", "{order}", "Orders priced and confirmed");
        _rejected = meter.CreateCounter<long>("foodordering.orders.rejected", "{order}", "Well-formed orders rejected, by reason");
        _deadLettered = meter.CreateCounter<long>("foodordering.orders.dead_lettered", "{message}", "Received messages that could not be read, by reason");
        _duplicates = meter.CreateCounter<long>("foodordering.orders.duplicates", "{order}", "Orders received again as they were, after they were done, and not priced again");
        // Money in whole cents on integer instruments: a double sum shows float noise, and "USD" is no unit the
        // dashboard renders.
        _revenueCents = meter.CreateCounter<long>("foodordering.revenue.cents", "{cent}", $"Revenue of confirmed order lines in {Contracts.Menu.Currency} cents (before fee and tax), by item and category");
        _itemsSold = meter.CreateCounter<long>("foodordering.items.sold", "{item}", "Quantity sold, by item and category");
        _confirmationLatency = meter.CreateHistogram<double>("foodordering.order.confirmation.duration", "s", "Time from an order being placed to its confirmation being committed",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _orderValueCents = meter.CreateHistogram<long>("foodordering.order.value.cents", "{cent}", $"Total of each confirmed order in {Contracts.Menu.Currency} cents, fee and tax included",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1_000, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 25_000, 50_000, 100_000] });
        _transactionsAborted = meter.CreateCounter<long>("foodordering.transactions.aborted", "{transaction}", "Transactions aborted and replayed from the committed offsets");
        _time = time;
    }

    public void Committed(List<OrderOutcome> outcomes)
    {
        var now = _time.GetUtcNow();
        foreach (var outcome in outcomes)
        {
            switch (outcome.Kind)
            {
                case OrderOutcomeKind.Confirmed when outcome.Confirmed is { } confirmed:
                    _confirmed.Add(1);
                    _confirmationLatency.Record((now - confirmed.Order.PlacedAt).TotalSeconds);
                    _orderValueCents.Record(Cents.Of(confirmed.Order.Total));
                    foreach (var line in confirmed.Analytics)
                    {
                        var tags = new TagList { { "item", line.MenuItemId }, { "category", line.Category } };
                        _revenueCents.Add(Cents.Of(line.Revenue), tags);
                        _itemsSold.Add(line.Quantity, tags);
                    }

                    break;
                case OrderOutcomeKind.Rejected:
                    _rejected.Add(1, new KeyValuePair<string, object?>("reason", outcome.Reason));
                    break;
                case OrderOutcomeKind.DeadLettered:
                    _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", outcome.Reason));
                    break;
                case OrderOutcomeKind.Duplicate:
                    _duplicates.Add(1);
                    break;
            }
        }
    }

    public void Aborted() => _transactionsAborted.Add(1);
}
