using System.Collections.Frozen;

namespace FoodOrdering.Contracts;

/// <summary>The restaurant's menu, shared by the Producer (what can be ordered) and Transactions (what it costs).</summary>
public static class Menu
{
    public const string Currency = "USD";

    public static IReadOnlyList<MenuItem> Items { get; } =
    [
        new("margherita", "Margherita Pizza", "Pizza", 11.50m),
        new("pepperoni", "Pepperoni Pizza", "Pizza", 13.00m),
        new("quattro-formaggi", "Quattro Formaggi Pizza", "Pizza", 14.25m),
        new("classic-burger", "Classic Burger", "Burgers", 9.90m),
        new("veggie-burger", "Veggie Burger", "Burgers", 10.40m),
        new("chicken-wrap", "Chicken Wrap", "Wraps", 8.75m),
        new("caesar-salad", "Caesar Salad", "Salads", 7.95m),
        new("greek-salad", "Greek Salad", "Salads", 7.50m),
        new("fries", "French Fries", "Sides", 3.20m),
        new("onion-rings", "Onion Rings", "Sides", 3.80m),
        new("cola", "Cola", "Drinks", 2.40m),
        new("lemonade", "Homemade Lemonade", "Drinks", 3.10m),
        new("tiramisu", "Tiramisu", "Desserts", 5.60m),
        new("brownie", "Chocolate Brownie", "Desserts", 4.30m),
    ];

    /// <summary>
    /// Items taken off the menu. Orders placed before they went (or by an out-of-date client) still name them;
    /// Transactions rejects those with a reason of their own rather than as unknown.
    /// </summary>
    public static IReadOnlyList<MenuItem> Discontinued { get; } =
    [
        new("pumpkin-soup", "Seasonal Pumpkin Soup", "Soups", 6.20m),
    ];

    private static readonly FrozenDictionary<string, MenuItem> ById = Items.ToFrozenDictionary(item => item.Id, StringComparer.Ordinal);

    private static readonly FrozenSet<string> DiscontinuedIds = Discontinued.Select(item => item.Id).ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, MenuItem> EverById = Items.Concat(Discontinued).ToFrozenDictionary(item => item.Id, StringComparer.Ordinal);

    /// <summary>Finds an item that can be ordered today.</summary>
    public static bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MenuItem? item) =>
        ById.TryGetValue(id, out item);

    /// <summary>Finds an item that is or was on the menu: what a confirmation priced earlier may name.</summary>
    public static bool TryGetEver(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MenuItem? item) =>
        EverById.TryGetValue(id, out item);

    public static bool IsDiscontinued(string id) => DiscontinuedIds.Contains(id);
}
