using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions;

/// <summary>
/// Prices an order from the menu, the only source of prices. Line totals and the subtotal are exact
/// <see cref="decimal"/> sums of unit price × quantity; tax is <c>(subtotal + delivery fee) × tax rate</c>,
/// rounded once to the currency's minor unit (cents) with midpoints away from zero.
/// </summary>
internal sealed class OrderPricer(IOptions<PricingOptions> options, TimeProvider time)
{
    private const int MinorUnitDigits = 2;

    public PricingResult Price(OrderPlaced order)
    {
        if (order.Lines.Count == 0)
        {
            return Reject(order, RejectionReasons.EmptyOrder, "The order has no lines.");
        }

        var lines = new PricedLine[order.Lines.Count];
        var analytics = new OrderLineSold[order.Lines.Count];
        var subtotal = 0m;
        for (var i = 0; i < order.Lines.Count; i++)
        {
            var line = order.Lines[i];
            if (!Menu.TryGet(line.MenuItemId, out var item))
            {
                return Reject(order, RejectionReasons.UnknownItem, $"Line {i + 1}: '{line.MenuItemId}' is not on the menu.");
            }

            if (line.Quantity <= 0)
            {
                return Reject(order, RejectionReasons.InvalidQuantity, $"Line {i + 1}: quantity {line.Quantity} is not positive.");
            }

            var lineTotal = item.UnitPrice * line.Quantity;
            subtotal += lineTotal;
            lines[i] = new PricedLine(item.Id, item.Name, line.Quantity, item.UnitPrice, lineTotal);
            analytics[i] = new OrderLineSold(order.OrderId, i + 1, order.PlacedAt, item.Id, item.Name, item.Category, line.Quantity, lineTotal);
        }

        var fee = options.Value.DeliveryFee;
        var tax = Math.Round((subtotal + fee) * options.Value.TaxRate, MinorUnitDigits, MidpointRounding.AwayFromZero);
        var confirmed = new OrderConfirmed(
            order.OrderId, order.PlacedAt, time.GetUtcNow(), order.Customer, lines,
            subtotal, fee, tax, subtotal + fee + tax, Menu.Currency, order.DeliveryAddress);
        return new PricingResult.Confirmed(confirmed, analytics);
    }

    private PricingResult Reject(OrderPlaced order, string reason, string message) =>
        new PricingResult.Rejected(new OrderRejected(order.OrderId, order.PlacedAt, time.GetUtcNow(), reason, message));
}
