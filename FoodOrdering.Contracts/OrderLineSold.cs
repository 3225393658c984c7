namespace FoodOrdering.Contracts;

/// <summary>One analytics record per confirmed order line, on <see cref="Topics.OrdersAnalytics"/>.</summary>
public sealed record OrderLineSold(
    Guid OrderId,
    int LineNumber,
    DateTimeOffset PlacedAt,
    string MenuItemId,
    string Item,
    string Category,
    int Quantity,
    decimal Revenue);
