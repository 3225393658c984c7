namespace FoodOrdering.AppHost;

/// <summary>
/// Where there is no Elasticsearch (Embedded mode, or External mode without its connection string), this says so
/// in the AppHost's console and as a resource in the dashboard, where someone looking for the analytics will
/// look. It provides no connection string, so the indexer in <c>transactions</c> stays idle and pricing is not held up.
/// </summary>
internal static class ElasticsearchNotice
{
    // The state column is what the Resources page shows at a glance, so it carries the reason in short: short enough
    // to be read whole at the column's default width, which cuts longer text off; the Why property says the rest.
    public const int StateLengthShownWhole = 12;

    public const string EmbeddedModeState = "Needs Docker";

    public const string ExternalModeWithoutConnectionStringState = "Not set";

    public const string EmbeddedMode =
        "Elasticsearch and Kibana need a container runtime (--Infrastructure Containers) or External mode " +
        "(--Infrastructure External with ConnectionStrings:elasticsearch); the analytics indexer in transactions stays idle.";

    public const string ExternalModeWithoutConnectionString =
        "External mode without ConnectionStrings:elasticsearch: set it on the AppHost (e.g. in user secrets) to index " +
        "analytics into your cluster; until then the analytics indexer in transactions stays idle.";

    public static IResourceBuilder<IResourceWithConnectionString>? AddElasticsearchNotice(this IDistributedApplicationBuilder builder, string name, string state, string why)
    {
        Console.WriteLine($"No Elasticsearch: {why}");
        builder.AddResource(new NoticeResource(name))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Elasticsearch",
                State = new ResourceStateSnapshot(state, KnownResourceStateStyles.Info),
                Properties = [new ResourcePropertySnapshot("Why", why)],
            })
            .ExcludeFromManifest();
        return null;
    }

    internal sealed class NoticeResource(string name) : Resource(name);
}
