using System.ComponentModel.DataAnnotations;
using FoodOrdering.Contracts;

namespace FoodOrdering.Transactions;

internal sealed class PricingOptions
{
    public const string SectionName = SettingsSections.Pricing;

    /// <summary>Added once per order.</summary>
    [Range(typeof(decimal), "0", "1000")]
    public decimal DeliveryFee { get; set; } = PricingDefaults.DeliveryFee;

    /// <summary>Applied to subtotal plus delivery fee, e.g. 0.08 for 8 %.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal TaxRate { get; set; } = PricingDefaults.TaxRate;

    /// <summary>Orders whose total (with fee and tax) is above this are rejected.</summary>
    [Range(typeof(decimal), "0.01", "1000000000")]
    public decimal MaxOrderTotal { get; set; } = 1000m;

    [Range(1, OrderLimits.MaxQuantity * 1000)]
    public int MaxQuantityPerLine { get; set; } = OrderLimits.MaxQuantity;

    [Range(1, OrderLimits.MaxLines * 1000)]
    public int MaxLines { get; set; } = OrderLimits.MaxLines;
}
