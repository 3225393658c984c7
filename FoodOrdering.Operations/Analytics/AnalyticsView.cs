namespace FoodOrdering.Operations.Analytics;

/// <summary>
/// The live figures over the last <see cref="Minutes"/> minutes. Money is an exact decimal string in
/// <see cref="Currency"/>: the lines of confirmed orders as on <c>orders.analytics</c>, before fee and tax.
/// </summary>
internal sealed record AnalyticsView(
    int Minutes,
    DateTimeOffset From,
    DateTimeOffset To,
    string Currency,
    string Revenue,
    long Orders,
    string OrdersPerMinute,
    string AverageOrderValue,
    IReadOnlyList<MinuteFigures> PerMinute,
    IReadOnlyList<ItemFigures> TopItemsByRevenue,
    IReadOnlyList<ItemFigures> TopItemsByQuantity,
    IReadOnlyList<CategoryFigures> RevenueByCategory,
    IReadOnlyList<ReasonCount> RejectionsByReason,
    EmailFigures Emails,
    bool MayHoldRepeats,
    string? KibanaDashboard);

internal sealed record MinuteFigures(DateTimeOffset Minute, string Revenue, long Orders);

internal sealed record ItemFigures(string MenuItemId, string Item, string Category, string Revenue, long Quantity);

internal sealed record CategoryFigures(string Category, string Revenue);

internal sealed record ReasonCount(string Reason, long Count);

internal sealed record EmailFigures(long Sent, long Failed);
