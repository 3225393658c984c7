using FoodOrdering.Contracts;

namespace FoodOrdering.Transactions;

/// <summary>What pricing made of an order: confirmed with its analytics records, or rejected with a reason.</summary>
internal abstract record PricingResult
{
    private PricingResult()
    {
    }

    public sealed record Confirmed(OrderConfirmed Order, IReadOnlyList<OrderLineSold> Analytics) : PricingResult;

    public sealed record Rejected(OrderRejected Rejection) : PricingResult;
}
