namespace FoodOrdering.AppHost;

/// <summary>Where Kafka, SMTP and Elasticsearch come from; chosen with <c>--Infrastructure</c>.</summary>
internal enum InfrastructureMode
{
    /// <summary>In-process stand-ins hosted by the AppHost: runs anywhere, no container engine needed.</summary>
    Embedded,

    /// <summary>Real Kafka, Elasticsearch, Kibana and a mail catcher in containers (Docker or Podman).</summary>
    Containers,

    /// <summary>Nothing is started: the connection strings come from configuration (user secrets, environment).</summary>
    External,
}
