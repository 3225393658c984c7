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
    private readonly Counter<double> _revenue;
    private readonly Counter<long> _itemsSold;
    private readonly Histogram<double> _confirmationLatency;
    private readonly Histogram<double> _orderValue;
    private readonly Counter<long> _transactionsAborted;
    private readonly TimeProvider _time;

    public TransactionsMetrics(IMeterFactory meterFactory, IHostEnvironment environment, TimeProvider time)
    {
        var meter = meterFactory.Create(environment.ApplicationName);
        _confirmed = meter.CreateCounter<long>("foodordering.orders.confirmed", "{order}", "Orders priced and confirmed");
        _rejected = meter.CreateCounter<long>("foodordering.orders.rejected", "{order}", "Well-formed orders rejected, by reason");
        _deadLettered = meter.CreateCounter<long>("foodordering.orders.dead_lettered", "{message}", "Received messages that could not be read, by reason");
        _duplicates = meter.CreateCounter<long>("foodordering.orders.duplicates", "{order}", "Orders received again as they were, after they were done, and not priced again");
        _revenue = meter.CreateCounter<double>("foodordering.revenue", Contracts.Menu.Currency, "Revenue of confirmed order lines (before fee and tax), by item and category");
        _itemsSold = meter.CreateCounter<long>("foodordering.items.sold", "{item}", "Quantity sold, by item and category");
        _confirmationLatency = meter.CreateHistogram<double>("foodordering.order.confirmation.duration", "s", "Time from an order being placed to its confirmation being committed",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _orderValue = meter.CreateHistogram<double>("foodordering.order.value", Contracts.Menu.Currency, "Total of each confirmed order, fee and tax included",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 20, 30, 50, 75, 100, 150, 250, 500, 1000] });
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
                    _orderValue.Record((double)confirmed.Order.Total);
                    foreach (var line in confirmed.Analytics)
                    {
                        var tags = new TagList { { "item", line.MenuItemId }, { "category", line.Category } };
                        _revenue.Add((double)line.Revenue, tags);
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
