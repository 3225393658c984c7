namespace FoodOrdering.Transactions.Indexing;

/// <summary>Stands in for the indexer when no Elasticsearch is configured (Embedded mode): says so once, then does nothing.</summary>
internal sealed class IdleIndexer(ILogger<IdleIndexer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning("Analytics indexer {Message}", IndexerStatus.NotConfiguredMessage);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
