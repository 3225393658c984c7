namespace FoodOrdering.AppHost;

internal static class ElasticsearchReferenceExtensions
{
    /// <summary>
    /// Hands the service the <c>elasticsearch</c> connection string when there is one (Containers and External
    /// modes). It does not wait for it: the indexer retries until Elasticsearch answers, and pricing never waits.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithElasticsearch(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString>? elasticsearch) =>
        elasticsearch is null ? service : service.WithReference(elasticsearch);
}
