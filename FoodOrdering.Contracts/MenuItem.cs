namespace FoodOrdering.Contracts;

public sealed record MenuItem(string Id, string Name, string Category, decimal UnitPrice);
