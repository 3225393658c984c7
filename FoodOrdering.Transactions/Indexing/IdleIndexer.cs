namespace FoodOrdering.Transactions.Indexing;

/// <summary>Stands in for the indexer when no Elasticsearch is configured (Embedded mode): says so once, then does nothing.</summary>
internal sealed partial class IdleIndexer(ILogger<IdleIndexer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Information, not Warning: running without Elasticsearch is a supported mode, and a clean run shows no warnings.
        LogIdle(logger, IndexerStatus.NotConfiguredMessage);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2330, Level = LogLevel.Information, Message = "Analytics indexer {Message}")]
    private static partial void LogIdle(ILogger logger, string message);
}
