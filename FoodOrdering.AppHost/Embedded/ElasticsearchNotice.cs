namespace FoodOrdering.AppHost.Embedded;

/// <summary>
/// Embedded mode has no Elasticsearch or Kibana. This says so in the AppHost's console and as a resource in the
/// dashboard, where someone looking for the analytics will look; it provides no connection string, so the
/// indexer in <c>transactions</c> stays idle.
/// </summary>
internal static class ElasticsearchNotice
{
    public const string Message =
        "Elasticsearch and Kibana need a container runtime (--Infrastructure Containers) or External mode " +
        "(--Infrastructure External with ConnectionStrings:elasticsearch); the analytics indexer in transactions stays idle.";

    public static IResourceBuilder<IResourceWithConnectionString>? AddElasticsearchNotice(this IDistributedApplicationBuilder builder, string name)
    {
        Console.WriteLine($"Embedded mode: {Message}");
        builder.AddResource(new NoticeResource(name))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Elasticsearch",
                State = new ResourceStateSnapshot("Needs containers or External mode", KnownResourceStateStyles.Info),
                Properties = [new ResourcePropertySnapshot("Why", Message)],
            })
            .ExcludeFromManifest();
        return null;
    }

    internal sealed class NoticeResource(string name) : Resource(name);
}
