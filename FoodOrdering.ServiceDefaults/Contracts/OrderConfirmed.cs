namespace FoodOrdering.Contracts;

/// <summary>A priced, accepted order on <see cref="Topics.OrdersConfirmed"/>.</summary>
public sealed record OrderConfirmed(
    Guid OrderId,
    DateTimeOffset PlacedAt,
    DateTimeOffset ConfirmedAt,
    Customer Customer,
    IReadOnlyList<PricedLine> Lines,
    decimal Total,
    string Currency);

public sealed record PricedLine(string MenuItemId, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);
