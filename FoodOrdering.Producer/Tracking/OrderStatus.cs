using FoodOrdering.Contracts;

namespace FoodOrdering.Producer.Tracking;

/// <summary>
/// An order as its customer follows it: <c>received</c>, then <c>confirmed</c> with what it costs or <c>rejected</c>
/// with why, and whether the confirmation email went out. No customer details: the order id is all it takes to read it.
/// </summary>
internal sealed record OrderStatus(
    Guid OrderId,
    string Status,
    DateTimeOffset? PlacedAt,
    OrderPrice? Price,
    OrderRejection? Rejection,
    OrderEmail? Email);

internal sealed record OrderPrice(IReadOnlyList<PricedLine> Lines, decimal Subtotal, decimal DeliveryFee, decimal Tax, decimal Total, string Currency, DateTimeOffset ConfirmedAt);

internal sealed record OrderRejection(string Reason, string Message, DateTimeOffset RejectedAt);

/// <summary><c>sent</c> or <c>failed</c>; <see cref="Message"/> says why it failed.</summary>
internal sealed record OrderEmail(string Status, DateTimeOffset At, string? Message);

internal static class OrderStatuses
{
    public const string Received = "received";
    public const string Confirmed = "confirmed";
    public const string Rejected = "rejected";
    public const string EmailSent = "sent";
    public const string EmailFailed = "failed";
}
