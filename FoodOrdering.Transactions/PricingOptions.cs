using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Transactions;

internal sealed class PricingOptions
{
    public const string SectionName = "Pricing";

    /// <summary>Added once per order.</summary>
    [Range(typeof(decimal), "0", "1000")]
    public decimal DeliveryFee { get; set; } = 2.50m;

    /// <summary>Applied to subtotal plus delivery fee, e.g. 0.08 for 8 %.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal TaxRate { get; set; } = 0.08m;
}
