using System.Globalization;
using FoodOrdering.Contracts;

namespace FoodOrdering.Producer.Orders;

internal sealed record MenuResponse(string Currency, IReadOnlyList<string> Categories, IReadOnlyList<MenuItem> Items, MenuPricing Pricing)
{
    public static MenuResponse Of(MenuPricingOptions pricing) => new(
        Menu.Currency,
        [.. Menu.Items.Select(item => item.Category).Distinct()],
        Menu.Items,
        new MenuPricing(
            Math.Round(pricing.DeliveryFee, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture),
            pricing.TaxRate.ToString(CultureInfo.InvariantCulture)));
}

/// <summary>
/// What an order costs beyond its lines, as exact decimal strings: tax is (subtotal + fee) × rate, rounded once to
/// cents with midpoints away from zero. Transactions prices the order; this is for an estimate before placing it.
/// </summary>
internal sealed record MenuPricing(string DeliveryFee, string TaxRate);
