namespace FoodOrdering.Contracts;

/// <summary>
/// The pricing rules unless <c>Pricing</c> says otherwise: Transactions prices by them, and the Producer's menu
/// states them so the order page can estimate a total before the order is placed.
/// </summary>
public static class PricingDefaults
{
    /// <summary>Added once per order.</summary>
    public const decimal DeliveryFee = 2.50m;

    /// <summary>Applied to subtotal plus delivery fee, rounded once to cents with midpoints away from zero.</summary>
    public const decimal TaxRate = 0.08m;
}
