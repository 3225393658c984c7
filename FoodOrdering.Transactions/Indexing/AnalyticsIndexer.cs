using Confluent.Kafka;
using Elastic.Clients.Elasticsearch;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// Indexes <see cref="Topics.OrdersAnalytics"/> into Elasticsearch, in batches by size or time, on its own consumer
/// and thread so that Elasticsearch being slow or down never holds up pricing: once the index template is in place,
/// the consume loop with <see cref="AnalyticsBulkDelivery"/>, committing each batch's offsets once it is acknowledged.
/// </summary>
internal sealed class AnalyticsIndexer(
    [FromKeyedServices(ConsumerGroups.Indexer)] IConsumer<string, byte[]> consumer,
    [FromKeyedServices(ConsumerGroups.Indexer)] KafkaConsumerMonitor monitor,
    AnalyticsBulkDelivery delivery,
    ElasticsearchClient client,
    IndexerRetries retries,
    IOptions<IndexerOptions> options,
    IndexerStatus status,
    ILogger<AnalyticsIndexer> logger) : BackgroundService
{
    public static readonly string IndexingDescription = $"indexing {Topics.OrdersAnalytics} into {AnalyticsIndexTemplate.IndexName}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            status.Set(IndexerState.WaitingForElasticsearch, "waiting for Elasticsearch to accept the index template");
            await retries.Template.ExecuteAsync(async token =>
            {
                await AnalyticsIndexTemplate.PutAsync(client, token);
                return true;
            }, stoppingToken);
            logger.LogInformation("Index template {Template} is in place", AnalyticsIndexTemplate.TemplateName);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        status.Set(IndexerState.Indexing, IndexingDescription);
        // A batch of about a second's worth of documents, committed as soon as it is acknowledged rather than on the
        // 5-second timer, keeps what a crash makes the next run index again to about one batch.
        await new KafkaConsumeLoop(consumer, monitor, delivery, new KafkaConsumeLoopOptions(Topics.OrdersAnalytics, ConsumerGroups.Indexer, OffsetCommit.StoreAndCommit)
        {
            MaxBatchSize = options.Value.BatchSize,
            MaxBatchWait = options.Value.BatchMaxWait,
            IdleWait = options.Value.IdleWait,
        }, logger).RunAsync(stoppingToken);
    }
}
