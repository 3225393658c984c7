namespace FoodOrdering.Operations.Analytics;

/// <summary>What one item sold in one minute.</summary>
internal sealed class ItemTally(string menuItemId, string item, string category)
{
    public string MenuItemId { get; } = menuItemId;

    public string Item { get; } = item;

    public string Category { get; } = category;

    public decimal Revenue { get; set; }

    public long Quantity { get; set; }
}
