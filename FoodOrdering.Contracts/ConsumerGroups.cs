namespace FoodOrdering.Contracts;

public static class ConsumerGroups
{
    public const string Transactions = "transactions";
    public const string Emails = "emails";

    /// <summary>Indexes <see cref="Topics.OrdersAnalytics"/> into Elasticsearch, at its own pace.</summary>
    public const string Indexer = "analytics-indexer";

    public static IReadOnlyList<string> All { get; } = [Transactions, Emails, Indexer];
}
