namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// Elasticsearch in a container with security on: the connection string is its URL with the <c>elastic</c>
/// user's credentials, <c>http://elastic:{password}@host:port</c>, as Aspire's Elasticsearch integration has it.
/// </summary>
internal sealed class ElasticsearchResource(string name, ParameterResource password) : ContainerResource(name), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "http";
    public const string InternalEndpointName = "internal";
    public const string UserName = "elastic";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    /// <summary>The HTTP endpoint as other containers reach it (Kibana), whoever resolves it.</summary>
    public EndpointReference ContainerNetworkEndpoint => field ??= new(this, PrimaryEndpointName, KnownNetworkIdentifiers.DefaultAspireContainerNetwork);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"http://{UserName}:{PasswordParameter}@{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
