using FoodOrdering.Contracts;

namespace FoodOrdering.Transactions;

/// <summary>What became of one received message; counted in metrics only once its transaction committed.</summary>
internal readonly record struct OrderOutcome(OrderOutcomeKind Kind, string? Reason, PricingResult.Confirmed? Confirmed)
{
    public static OrderOutcome ConfirmedAs(PricingResult.Confirmed confirmed) => new(OrderOutcomeKind.Confirmed, null, confirmed);

    public static OrderOutcome RejectedFor(string reason) => new(OrderOutcomeKind.Rejected, reason, null);

    public static OrderOutcome DeadLetteredFor(string reason) => new(OrderOutcomeKind.DeadLettered, reason, null);

    public static OrderOutcome Duplicate { get; } = new(OrderOutcomeKind.Duplicate, null, null);
}

internal enum OrderOutcomeKind
{
    Confirmed,
    Rejected,
    DeadLettered,

    /// <summary>The order was received before, as it is, and is done: nothing is written for it.</summary>
    Duplicate,
}
