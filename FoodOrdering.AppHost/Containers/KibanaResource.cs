namespace FoodOrdering.AppHost.Containers;

/// <summary>Kibana in a container, talking to its Elasticsearch as the <c>kibana_system</c> user.</summary>
internal sealed class KibanaResource(string name, ElasticsearchResource elasticsearch, ParameterResource systemPassword) : ContainerResource(name)
{
    public const string HttpEndpointName = "http";
    public const string SystemUserName = "kibana_system";

    public ElasticsearchResource Elasticsearch { get; } = elasticsearch;

    /// <summary>The <c>kibana_system</c> user's password, which <see cref="KibanaPasswordStep"/> sets on Elasticsearch.</summary>
    public ParameterResource SystemPassword { get; } = systemPassword;

    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);
}
