namespace FoodOrdering.Contracts;

/// <summary>Every Kafka topic of the pipeline. Keys are always the order id, so one order stays on one partition.</summary>
public static class Topics
{
    public const string OrdersReceived = "orders.received";
    public const string OrdersConfirmed = "orders.confirmed";
    public const string OrdersRejected = "orders.rejected";
    public const string OrdersAnalytics = "orders.analytics";
    public const string EmailsSent = "emails.sent";
    public const string EmailsFailed = "emails.failed";

    /// <summary>What operators did in the operations console (re-drives, discards, resets, reveals): who, when, which records, outcome.</summary>
    public const string OperationsAudit = "operations.audit";

    /// <summary>Where a consumer of <paramref name="topic"/> puts what it cannot read, with the reason in headers.</summary>
    public static string DeadLetter(string topic) => $"{topic}.dead-letter";

    public static IReadOnlyList<string> All { get; } =
    [
        OrdersReceived,
        OrdersConfirmed,
        OrdersRejected,
        OrdersAnalytics,
        EmailsSent,
        EmailsFailed,
        DeadLetter(OrdersReceived),
        DeadLetter(OrdersConfirmed),
        DeadLetter(OrdersAnalytics),
        OperationsAudit,
    ];
}
