namespace FoodOrdering.Contracts;

/// <summary>A well-formed order that cannot be accepted, on <see cref="Topics.OrdersRejected"/>.</summary>
public sealed record OrderRejected(Guid OrderId, DateTimeOffset PlacedAt, DateTimeOffset RejectedAt, string Reason, string Message);

public static class RejectionReasons
{
    public const string UnknownItem = "unknown_item";
    public const string EmptyOrder = "empty_order";
    public const string InvalidQuantity = "invalid_quantity";
}
