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

    /// <summary>
    /// Transactions' record of the order ids it has priced, one claim per id, co-partitioned with
    /// <see cref="OrdersReceived"/> and compacted by id: what makes a repeated order a duplicate and another order under
    /// a used id a rejection.
    /// </summary>
    public const string OrderIdClaims = "orders.id-claims";

    /// <summary>What operators did in the operations console (re-drives, discards, resets, reveals): who, when, which records, outcome.</summary>
    public const string OperationsAudit = "operations.audit";

    /// <summary>
    /// Operators' pause and resume of a consumer group (<see cref="ConsumptionCommand"/>), keyed by the group and
    /// compacted: every instance of every service reads it from the beginning, so a replica started later learns the
    /// current state too.
    /// </summary>
    public const string ConsumptionControl = "operations.consumption-control";

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
        OrderIdClaims,
        DeadLetter(OrdersReceived),
        DeadLetter(OrdersConfirmed),
        DeadLetter(OrdersAnalytics),
        OperationsAudit,
        ConsumptionControl,
    ];
}
