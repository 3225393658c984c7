using FoodOrdering.Contracts;

namespace FoodOrdering.Transactions;

/// <summary>
/// Prices an order from the menu. The menu is the only source of prices; line totals are exact
/// <see cref="decimal"/> products of unit price and quantity, so no rounding happens.
/// </summary>
internal sealed class OrderPricer(TimeProvider time)
{
    public PricingResult Price(OrderPlaced order)
    {
        if (order.Lines.Count == 0)
        {
            return Reject(order, RejectionReasons.EmptyOrder, "The order has no lines.");
        }

        var lines = new PricedLine[order.Lines.Count];
        var analytics = new OrderLineSold[order.Lines.Count];
        var total = 0m;
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
            total += lineTotal;
            lines[i] = new PricedLine(item.Id, item.Name, line.Quantity, item.UnitPrice, lineTotal);
            analytics[i] = new OrderLineSold(order.OrderId, i + 1, order.PlacedAt, item.Id, item.Name, item.Category, line.Quantity, lineTotal);
        }

        var confirmed = new OrderConfirmed(order.OrderId, order.PlacedAt, time.GetUtcNow(), order.Customer, lines, total, Menu.Currency);
        return new PricingResult.Confirmed(confirmed, analytics);
    }

    private PricingResult Reject(OrderPlaced order, string reason, string message) =>
        new PricingResult.Rejected(new OrderRejected(order.OrderId, order.PlacedAt, time.GetUtcNow(), reason, message));
}
