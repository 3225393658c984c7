using System.ComponentModel.DataAnnotations;
using FoodOrdering.Contracts;

namespace FoodOrdering.Producer.Orders;

/// <summary>The pricing rules the menu states, from the same <c>Pricing</c> section Transactions prices by.</summary>
internal sealed class MenuPricingOptions
{
    public const string SectionName = SettingsSections.Pricing;

    [Range(typeof(decimal), "0", "1000")]
    public decimal DeliveryFee { get; set; } = PricingDefaults.DeliveryFee;

    [Range(typeof(decimal), "0", "1")]
    public decimal TaxRate { get; set; } = PricingDefaults.TaxRate;
}
