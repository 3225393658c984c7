namespace FoodOrdering.Contracts;

/// <summary>
/// An order as the customer placed it, on <see cref="Topics.OrdersReceived"/>, from the order API or the
/// generator alike. It carries no prices: the menu is authoritative.
/// </summary>
public sealed record OrderPlaced(Guid OrderId, DateTimeOffset PlacedAt, Customer Customer, IReadOnlyList<OrderLine> Lines, string? DeliveryAddress = null);

public sealed record Customer(string CustomerId, string Name, string Email);

public sealed record OrderLine(string MenuItemId, int Quantity);
