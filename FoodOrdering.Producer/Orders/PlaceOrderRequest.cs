namespace FoodOrdering.Producer.Orders;

/// <summary>The body of <c>POST /orders</c>. Everything is nullable so that a missing field is a field error, not a parse error.</summary>
internal sealed record PlaceOrderRequest(CustomerDetails? Customer, string? DeliveryAddress, IReadOnlyList<OrderLineRequest?>? Lines);

internal sealed record CustomerDetails(string? Name, string? Email);

internal sealed record OrderLineRequest(string? MenuItemId, int? Quantity);
