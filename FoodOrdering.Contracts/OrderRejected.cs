namespace FoodOrdering.Contracts;

/// <summary>A well-formed order that cannot be accepted, on <see cref="Topics.OrdersRejected"/>.</summary>
public sealed record OrderRejected(Guid OrderId, DateTimeOffset PlacedAt, DateTimeOffset RejectedAt, string Reason, string Message);

/// <summary>Machine-readable <see cref="OrderRejected.Reason"/> codes.</summary>
public static class RejectionReasons
{
    public const string EmptyOrder = "empty_order";
    public const string TooManyLines = "too_many_lines";
    public const string UnknownItem = "unknown_item";
    public const string DiscontinuedItem = "discontinued_item";
    public const string QuantityOutOfRange = "quantity_out_of_range";
    public const string TotalAboveMaximum = "total_above_maximum";

    /// <summary>
    /// Another order was already received under this order id. The rejection is of the second order only: the first
    /// keeps its own outcome, and a customer's view of the id shows the first.
    /// </summary>
    public const string OrderIdInUse = "order_id_in_use";
}
