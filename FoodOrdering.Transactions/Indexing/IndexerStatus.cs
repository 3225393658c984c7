namespace FoodOrdering.Transactions.Indexing;

/// <summary>What the indexer is doing, for its health-check entry.</summary>
internal sealed class IndexerStatus
{
    public const string NotConfiguredMessage =
        "idle: no Elasticsearch is configured. Elasticsearch and Kibana need a container runtime (--Infrastructure Containers) " +
        "or External mode (--Infrastructure External with ConnectionStrings:elasticsearch); orders are processed as usual.";

    private volatile Snapshot _current = new(IndexerState.Starting, "starting");

    public Snapshot Current => _current;

    public void Set(IndexerState state, string description) => _current = new Snapshot(state, description);

    internal sealed record Snapshot(IndexerState State, string Description);
}

internal enum IndexerState
{
    NotConfigured,
    Starting,
    WaitingForElasticsearch,
    Indexing,
    Retrying,
}
