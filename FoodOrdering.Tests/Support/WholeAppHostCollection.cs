namespace FoodOrdering.Tests.Support;

/// <summary>
/// Tests that start the whole AppHost, which binds fixed ports (the embedded broker's <c>localhost:9092</c>, the
/// dashboard's): in one collection they run one after another, never two AppHosts at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WholeAppHostCollection
{
    public const string Name = "Whole AppHost";
}
