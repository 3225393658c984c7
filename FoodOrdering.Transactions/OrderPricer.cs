using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions;

/// <summary>
/// Prices an order from the menu, the only source of prices, or says why it cannot be accepted. Line totals and
/// the subtotal are exact <see cref="decimal"/> sums of unit price × quantity; tax is
/// <c>(subtotal + delivery fee) × tax rate</c>, rounded once to the currency's minor unit (cents) with midpoints
/// away from zero.
/// </summary>
internal sealed class OrderPricer(IOptions<PricingOptions> options, TimeProvider time)
{
    private const int MinorUnitDigits = 2;

    public PricingResult Price(OrderPlaced order)
    {
        var rules = options.Value;
        if (order.Lines.Count == 0)
        {
            return Reject(order, RejectionReasons.EmptyOrder, "The order has no lines.");
        }

        if (order.Lines.Count > rules.MaxLines)
        {
            return Reject(order, RejectionReasons.TooManyLines, $"The order has {order.Lines.Count} lines; at most {rules.MaxLines} are accepted.");
        }

        var lines = new PricedLine[order.Lines.Count];
        var analytics = new OrderLineSold[order.Lines.Count];
        var subtotal = 0m;
        for (var i = 0; i < order.Lines.Count; i++)
        {
            var line = order.Lines[i];
            if (!Menu.TryGet(line.MenuItemId, out var item))
            {
                return Menu.IsDiscontinued(line.MenuItemId)
                    ? Reject(order, RejectionReasons.DiscontinuedItem, $"Line {i + 1}: '{line.MenuItemId}' is no longer on the menu.")
                    : Reject(order, RejectionReasons.UnknownItem, $"Line {i + 1}: '{line.MenuItemId}' is not on the menu.");
            }

            if (line.Quantity < 1 || line.Quantity > rules.MaxQuantityPerLine)
            {
                return Reject(order, RejectionReasons.QuantityOutOfRange, $"Line {i + 1}: quantity {line.Quantity} is outside 1 to {rules.MaxQuantityPerLine}.");
            }

            var lineTotal = item.UnitPrice * line.Quantity;
            subtotal += lineTotal;
            lines[i] = new PricedLine(item.Id, item.Name, line.Quantity, item.UnitPrice, lineTotal);
            analytics[i] = new OrderLineSold(order.OrderId, i + 1, order.PlacedAt, item.Id, item.Name, item.Category, line.Quantity, lineTotal);
        }

        // At the currency's two decimals, as every other amount prints: a fee configured as 2.5 would print 2.5.
        var fee = Math.Round(rules.DeliveryFee, MinorUnitDigits, MidpointRounding.AwayFromZero) + 0.00m;
        var tax = Math.Round((subtotal + fee) * rules.TaxRate, MinorUnitDigits, MidpointRounding.AwayFromZero);
        var total = subtotal + fee + tax;
        if (total > rules.MaxOrderTotal)
        {
            return Reject(order, RejectionReasons.TotalAboveMaximum, $"The total {total} {Menu.Currency} is above the {rules.MaxOrderTotal} {Menu.Currency} accepted per order.");
        }

        var confirmed = new OrderConfirmed(
            order.OrderId, order.PlacedAt, time.GetUtcNow(), order.Customer, lines,
            subtotal, fee, tax, total, Menu.Currency, order.DeliveryAddress);
        return new PricingResult.Confirmed(confirmed, analytics);
    }

    /// <summary>Rejects a different order received under the id of one received before, whatever it holds.</summary>
    public PricingResult IdInUse(OrderPlaced order) =>
        Reject(order, RejectionReasons.OrderIdInUse, "Another order was already received under this order id; this one is not accepted.");

    private PricingResult Reject(OrderPlaced order, string reason, string message) =>
        new PricingResult.Rejected(new OrderRejected(order.OrderId, order.PlacedAt, time.GetUtcNow(), reason, message));
}
