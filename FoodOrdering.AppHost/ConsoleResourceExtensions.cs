namespace FoodOrdering.AppHost;

/// <summary>The operations console's operator key and its links from the dashboard.</summary>
internal static class ConsoleResourceExtensions
{
    /// <summary>The console requires the same operator key as the Producer's operator endpoints.</summary>
    public static IResourceBuilder<ProjectResource> WithOperatorKey(this IResourceBuilder<ProjectResource> console, IResourceBuilder<ParameterResource> operatorKey) =>
        console.WithEnvironment(ProducerResourceExtensions.OperatorKeyVariable, operatorKey);

    /// <summary>
    /// Links the console from the <c>kafka</c> resource (its topics) and from each service (the console's start
    /// page), so an operator reaches it from wherever the dashboard shows trouble.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConsoleLinks(
        this IResourceBuilder<ProjectResource> console, IResourceBuilder<IResourceWithConnectionString> kafka, params IResourceBuilder<ProjectResource>[] services)
    {
        var endpoint = console.GetEndpoint("http");
        console.WithUrlForEndpoint("http", url => url.DisplayText = "Operations console");
        kafka.WithUrl($"{endpoint}/#topics", "Topics (operations console)");
        foreach (var service in services)
        {
            service.WithUrl($"{endpoint}/#consumer-groups", "Operations console");
        }

        return console;
    }
}
