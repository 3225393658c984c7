using FoodOrdering.Contracts;

namespace FoodOrdering.Producer.Orders;

internal sealed record MenuResponse(string Currency, IReadOnlyList<string> Categories, IReadOnlyList<MenuItem> Items);
