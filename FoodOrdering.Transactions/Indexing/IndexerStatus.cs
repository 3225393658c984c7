namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// What the indexer is doing, for its health-check entry: the state of indexing, and apart from it whatever keeps
/// the index template from being in place, since indexing goes on without it.
/// </summary>
internal sealed class IndexerStatus
{
    public const string NotConfiguredMessage =
        "idle: no Elasticsearch is configured. Elasticsearch and Kibana need a container runtime (--Infrastructure Containers) " +
        "or External mode (--Infrastructure External with ConnectionStrings:elasticsearch); orders are processed as usual.";

    private volatile Snapshot _current = new(IndexerState.Starting, "starting");
    private volatile string? _templateProblem;

    public Snapshot Current => _current;

    /// <summary>Why the index template is not in place; null when it is, or when it is not the indexer's to put.</summary>
    public string? TemplateProblem => _templateProblem;

    public void Set(IndexerState state, string description) => _current = new Snapshot(state, description);

    public void SetTemplateProblem(string? problem) => _templateProblem = problem;

    internal sealed record Snapshot(IndexerState State, string Description);
}

internal enum IndexerState
{
    NotConfigured,
    Starting,
    Indexing,
    Retrying,
}
