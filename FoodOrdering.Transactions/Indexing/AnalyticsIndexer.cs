using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// Indexes <see cref="Topics.OrdersAnalytics"/> into Elasticsearch, in batches by size or time, on its own consumer
/// and thread so that Elasticsearch being slow, down or refusing never holds up pricing: the consume loop with
/// <see cref="AnalyticsBulkDelivery"/>, committing each batch's offsets once it is acknowledged, and beside it the
/// index template being put (<see cref="AnalyticsIndexTemplate"/>).
/// </summary>
internal sealed partial class AnalyticsIndexer(
    [FromKeyedServices(ConsumerGroups.Indexer)] IConsumer<string, byte[]> consumer,
    [FromKeyedServices(ConsumerGroups.Indexer)] KafkaConsumerMonitor monitor,
    AnalyticsBulkDelivery delivery,
    AnalyticsIndexTemplate template,
    IOptions<IndexerOptions> options,
    IndexerStatus status,
    ConsumptionStates consumption,
    FailurePolicy<ElasticsearchFailure> failures,
    ILogger<AnalyticsIndexer> logger) : BackgroundService
{
    public static readonly string IndexingDescription = $"indexing {Topics.OrdersAnalytics} into {AnalyticsIndexTemplate.IndexName}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!template.IsManaged)
        {
            LogTemplateNotManaged(logger, AnalyticsIndexTemplate.TemplateName);
        }

        status.Set(IndexerState.Indexing, IndexingDescription);
        using var stopPutting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var putting = template.KeepPuttingAsync(stopPutting.Token);
        try
        {
            // A batch of about a second's worth of documents, committed as soon as it is acknowledged rather than on
            // the 5-second timer, keeps what a crash makes the next run index again to about one batch.
            await new KafkaConsumeLoop(consumer, monitor, delivery, failures.Replaying(new KafkaConsumeLoopOptions(Topics.OrdersAnalytics, ConsumerGroups.Indexer, OffsetCommit.StoreAndCommit)
            {
                MaxBatchSize = options.Value.BatchSize,
                MaxBatchWait = options.Value.BatchMaxWait,
                IdleWait = options.Value.IdleWait,
                Switch = new ConsumptionSwitch(ConsumerGroups.Indexer, consumption),
            }), logger).RunAsync(stoppingToken);
        }
        finally
        {
            await stopPutting.CancelAsync();
            await putting;
        }
    }

    [LoggerMessage(EventId = 2323, Level = LogLevel.Information, Message = "Index template {Template} is not put (Indexer:ManageIndexTemplate is false): the cluster must have it, from analytics-index-template.json, before the index is first written")]
    private static partial void LogTemplateNotManaged(ILogger logger, string template);
}
