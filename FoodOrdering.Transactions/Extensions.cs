using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Transactions.Indexing;

namespace FoodOrdering.Transactions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<PricingOptions>()
            .BindConfiguration(PricingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OrderPricer>();
        builder.AddKafkaConsumerWorker<OrderPlaced, OrderPricingHandler>(
            ConnectionNames.Kafka, ConsumerGroups.Transactions, Topics.OrdersReceived, ContractsJsonContext.Default.OrderPlaced);
        builder.AddAnalyticsIndexer();
    }
}
