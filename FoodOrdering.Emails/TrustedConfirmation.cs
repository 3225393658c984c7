using System.Globalization;
using FoodOrdering.Contracts;

namespace FoodOrdering.Emails;

/// <summary>
/// What Emails checks before it shows a confirmation to a customer: anyone who can write <c>orders.confirmed</c> can
/// put any text on it, so every line must name an item that is or was on the menu, at the menu's price and in the
/// menu's currency, within the order limits, and the amounts must add up. The email then takes line names and the
/// currency from the menu, never from the record.
/// </summary>
internal static class TrustedConfirmation
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Why <paramref name="order"/> cannot be shown as it is, in words that repeat none of its text; null when it can.</summary>
    public static string? Problem(OrderConfirmed order)
    {
        if (order.Currency != Menu.Currency)
        {
            return $"The confirmation's currency is not the menu's ({Menu.Currency}).";
        }

        if (order.Lines.Count is 0 or > OrderLimits.MaxLines)
        {
            return $"The confirmation has {order.Lines.Count.ToString(Invariant)} lines; an order has 1 to {OrderLimits.MaxLines.ToString(Invariant)}.";
        }

        var subtotal = 0m;
        for (var i = 0; i < order.Lines.Count; i++)
        {
            var number = (i + 1).ToString(Invariant);
            if (order.Lines[i] is not { } line || !Menu.TryGetEver(line.MenuItemId, out var item))
            {
                return $"Line {number} names no item of the menu.";
            }

            if (line.Quantity is < 1 or > OrderLimits.MaxQuantity || line.UnitPrice != item.UnitPrice || line.LineTotal != line.UnitPrice * line.Quantity)
            {
                return $"Line {number} ({item.Id}) does not add up: the menu's unit price is {item.UnitPrice.ToString(Invariant)} and a quantity is 1 to {OrderLimits.MaxQuantity.ToString(Invariant)}.";
            }

            subtotal += line.LineTotal;
        }

        if (order.Subtotal != subtotal || order.DeliveryFee < 0 || order.Tax < 0 || order.Total != order.Subtotal + order.DeliveryFee + order.Tax)
        {
            return "The confirmation's amounts do not add up (subtotal = sum of lines, total = subtotal + delivery fee + tax).";
        }

        return null;
    }
}
