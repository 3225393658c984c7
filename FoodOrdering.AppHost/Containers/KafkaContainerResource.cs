namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// Kafka in a container with two listeners: one published to the host for the services, one on the container
/// network for other containers. Each endpoint is resolved on its own network whoever asks, since what a listener
/// advertises must be the address its clients use, not an address the broker's own container would use.
/// </summary>
internal sealed class KafkaContainerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string InternalEndpointName = "internal";

    /// <summary>The listener published to the host: where the services connect.</summary>
    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName, KnownNetworkIdentifiers.LocalhostNetwork);

    /// <summary>The listener on the container network: where Kafka UI connects.</summary>
    public EndpointReference InternalEndpoint => field ??= new(this, InternalEndpointName, KnownNetworkIdentifiers.DefaultAspireContainerNetwork);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
