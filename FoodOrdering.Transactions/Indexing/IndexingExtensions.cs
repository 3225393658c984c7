using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Elasticsearch;
using FoodOrdering.Kafka;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions.Indexing;

internal static class IndexingExtensions
{
    private const string HealthCheckName = "analytics-indexer";

    /// <summary>
    /// The analytics indexer: its own consumer group, consumer and dead-letter producer, so it shares nothing that
    /// Elasticsearch trouble could hold up with order pricing. Without an <c>elasticsearch</c> connection string
    /// (Embedded mode) it stays idle and says why.
    /// </summary>
    public static void AddAnalyticsIndexer(this IHostApplicationBuilder builder)
    {
        var status = new IndexerStatus();
        builder.Services.AddSingleton(status);
        builder.Services.AddHealthChecks().AddCheck<IndexerHealthCheck>(HealthCheckName);

        if (!builder.Configuration.IsElasticsearchConfigured(ConnectionNames.Elasticsearch))
        {
            status.Set(IndexerState.NotConfigured, IndexerStatus.NotConfiguredMessage);
            builder.Services.AddHostedService<IdleIndexer>();
            return;
        }

        builder.Services.AddOptions<IndexerOptions>()
            .BindConfiguration(IndexerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The indexer's health is its own entry: an Elasticsearch outage degrades it without failing the service.
        builder.AddElasticsearchClient(ConnectionNames.Elasticsearch, settings => settings.DisableHealthChecks = true);
        builder.AddKeyedKafkaConsumer<string, byte[]>(ConsumerGroups.Indexer, settings =>
        {
            settings.ConnectionString ??= builder.Configuration.GetConnectionString(ConnectionNames.Kafka);
            // Stalled by an Elasticsearch outage: the service is degraded, while order pricing goes on.
            settings.StalledStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded;
        });
        builder.AddKeyedKafkaProducer<string, byte[]>(ConsumerGroups.Indexer, settings =>
            settings.ConnectionString ??= builder.Configuration.GetConnectionString(ConnectionNames.Kafka));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IndexerMetrics>();
        builder.Services.AddSingleton<AnalyticsIndexTemplate>();
        builder.Services.AddKeyedSingleton(ConsumerGroups.Indexer, (sp, _) => DeadLetters.For(sp, ConsumerGroups.Indexer));
        builder.Services.AddSingleton(sp => IndexerFailurePolicy.For(sp.GetRequiredService<IOptions<IndexerOptions>>().Value));
        builder.Services.AddSingleton<AnalyticsBulkDelivery>();
        builder.AddConsumptionControl(ConnectionNames.Kafka, ConsumerGroups.Indexer);
        builder.Services.AddHostedService<AnalyticsIndexer>();
    }
}
