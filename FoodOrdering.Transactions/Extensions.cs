using FoodOrdering.Contracts;
using FoodOrdering.Embedded.Clients;
using FoodOrdering.Kafka;
using FoodOrdering.Transactions.Indexing;
using FoodOrdering.Transactions.OrderIds;

namespace FoodOrdering.Transactions;

internal static class Extensions
{
    private const string TransactionalIdPrefix = "foodordering-transactions";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<PricingOptions>()
            .BindConfiguration(PricingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<OrderProcessingOptions>()
            .BindConfiguration(OrderProcessingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OrderPricer>();
        builder.Services.AddKeyedSingleton(ConsumerGroups.Transactions, (sp, _) => DeadLetters.For(sp, ConsumerGroups.Transactions));
        builder.Services.AddSingleton<OrderRecordProcessor>();
        builder.Services.AddSingleton<TransactionsMetrics>();

        builder.AddKeyedKafkaConsumerFactory<string, byte[]>(ConsumerGroups.Transactions, settings =>
        {
            settings.ConnectionString ??= builder.Configuration.GetConnectionString(ConnectionNames.Kafka);
            // Offsets are committed inside each transaction, never by the consumer on a timer.
            settings.Config.EnableAutoCommit = false;
        });
        builder.AddKeyedKafkaConsumerFactory<string, byte[]>(OrderIdLedger.ClaimsReaderName, settings =>
        {
            settings.ConnectionString ??= builder.Configuration.GetConnectionString(ConnectionNames.Kafka);
            // Assigned one partition at a time and read to its end, never in a group, committing nothing.
            settings.Config.EnableAutoCommit = false;
            settings.Config.EnablePartitionEof = true;
            settings.DisableHealthChecks = true;
            settings.DisableMetrics = true;
        });
        builder.AddKafkaTransactionalProducerFactory(ConnectionNames.Kafka, TransactionalIdPrefix, settings =>
            // Bounds how long read_committed readers wait behind the open transaction of a crashed worker.
            settings.Config.TransactionTimeoutMs ??= 15_000);
        // Decorates nothing unless the AppHost's Embedded mode asks: only the mock broker needs it.
        builder.AddEmbeddedBrokerOffsetCommits(ConsumerGroups.Transactions);
        builder.AddConsumptionControl(ConnectionNames.Kafka, ConsumerGroups.Transactions);
        builder.Services.AddHostedService<TransactionalOrderWorkers>();
        builder.AddAnalyticsIndexer();
    }
}
