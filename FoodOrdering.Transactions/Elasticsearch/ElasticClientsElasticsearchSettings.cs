using System.Data.Common;

namespace FoodOrdering.Elasticsearch;

/// <summary>
/// Settings for the Elasticsearch client, in the shape of Aspire.Elastic.Clients.Elasticsearch's: bound from
/// <c>Aspire:Elastic:Clients:Elasticsearch</c> and <c>Aspire:Elastic:Clients:Elasticsearch:{name}</c>, then
/// <c>ConnectionStrings:{name}</c>, then a delegate.
/// </summary>
public sealed class ElasticClientsElasticsearchSettings
{
    /// <summary>The cluster's URL. Credentials in it (<c>http://elastic:password@host:9200</c>) become basic authentication.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>An API key (the base64 "encoded" form Elastic Cloud and <c>_security/api_key</c> hand out), for managed clusters.</summary>
    public string? ApiKey { get; set; }

    public bool DisableHealthChecks { get; set; }

    public bool DisableTracing { get; set; }

    /// <summary>How long, in milliseconds, the health check waits for the cluster to answer (five seconds when unset).</summary>
    public int? HealthCheckTimeout { get; set; }

    /// <summary>
    /// Reads a connection string: either a URL (<c>http://elastic:password@localhost:9200</c>), or
    /// <c>Endpoint=https://…;ApiKey=…</c> as for a managed cluster.
    /// </summary>
    internal void ParseConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            Endpoint = uri;
            return;
        }

        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (parts.TryGetValue(nameof(Endpoint), out var endpoint) && endpoint is string text)
        {
            Endpoint = new Uri(text, UriKind.Absolute);
        }

        if (parts.TryGetValue(nameof(ApiKey), out var apiKey) && apiKey is string key)
        {
            ApiKey = key;
        }
    }
}
