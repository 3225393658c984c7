using FoodOrdering.Embedded;
using FoodOrdering.Embedded.Clients;

namespace FoodOrdering.AppHost;

internal static class TransactionsResourceExtensions
{
    /// <summary>
    /// Runs <c>--Transactions:Replicas N</c> copies (default 1) that share the partitions of orders.received as one
    /// consumer group; each order stays on one partition (keyed by order id), so its order is kept. On the embedded
    /// broker, which does not store offsets committed inside a transaction, the service also commits them directly
    /// (FoodOrdering.Embedded.Clients).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOrderProcessing(
        this IResourceBuilder<ProjectResource> transactions, IResourceBuilder<IResourceWithConnectionString> kafka)
    {
        transactions.WithReplicas(transactions.ApplicationBuilder.ConfiguredReplicas("Transactions"));
        if (kafka.Resource is EmbeddedKafkaResource)
        {
            transactions.WithEnvironment(EmbeddedBrokerOffsetCommitsExtensions.CommitOffsetsAfterTransaction.Replace(":", "__", StringComparison.Ordinal), "true")
                .WithSettings(EmbeddedBrokerOptions.SectionName);
        }

        return transactions;
    }
}
