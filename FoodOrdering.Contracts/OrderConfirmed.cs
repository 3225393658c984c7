namespace FoodOrdering.Contracts;

/// <summary>
/// A priced, accepted order on <see cref="Topics.OrdersConfirmed"/>: <c>Total = Subtotal + DeliveryFee + Tax</c>,
/// each in the currency's minor unit.
/// </summary>
public sealed record OrderConfirmed(
    Guid OrderId,
    DateTimeOffset PlacedAt,
    DateTimeOffset ConfirmedAt,
    Customer Customer,
    IReadOnlyList<PricedLine> Lines,
    decimal Subtotal,
    decimal DeliveryFee,
    decimal Tax,
    decimal Total,
    string Currency,
    string? DeliveryAddress = null);

public sealed record PricedLine(string MenuItemId, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);
