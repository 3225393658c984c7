namespace FoodOrdering.AppHost;

internal static class ClientAddressExtensions
{
    /// <summary>
    /// Lets a service with per-client limits (the Producer, the console) tell its clients apart. Aspire's proxy relays
    /// TCP and adds no <c>X-Forwarded-For</c>, so behind it every client is 127.0.0.1 and one client's limit is
    /// everybody's: a single instance is therefore reached directly. Replicas need the proxy to share one endpoint, so with them
    /// every client of the AppHost's endpoint is one client. Either way the service believes forwarded headers only
    /// from the proxies its <c>ForwardedHeaders</c> settings name, never from any peer as
    /// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>, which Aspire sets on a published project, would have it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithClientAddresses(this IResourceBuilder<ProjectResource> service)
    {
        service.DisableForwardedHeaders();
        var replicas = service.Resource.TryGetLastAnnotation<ReplicaAnnotation>(out var replica) ? replica.Replicas : 1;
        return replicas == 1 && !service.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? service.WithEndpoint("http", endpoint => endpoint.IsProxied = false)
            : service;
    }
}
