using ElasticsearchClient = Elastic.Clients.Elasticsearch.ElasticsearchClient;
using FoodOrdering.Elasticsearch;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Tests.Integration;

/// <summary><c>AddElasticsearchClient</c>: a client from the connection string, and a health check on <c>_cluster/health</c>.</summary>
public sealed class ElasticsearchClientTests
{
    [Fact]
    public async Task TheHealthCheckFollowsTheClusterAndTheClientSignsInWithTheConnectionStringsCredentials()
    {
        await using var elasticsearch = await ElasticsearchBulkStandIn.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Elasticsearch}"] = elasticsearch.ConnectionString,
        });
        builder.AddElasticsearchClient(ConnectionNames.Elasticsearch);
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var up = (await health.CheckHealthAsync()).Entries["Elastic.Clients.Elasticsearch"];
        elasticsearch.Outage = true;
        var down = (await health.CheckHealthAsync()).Entries["Elastic.Clients.Elasticsearch"];

        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal("Cluster stand-in is green", up.Description);
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Contains("503", down.Description);
        Assert.StartsWith("Basic ", elasticsearch.LastAuthorization);
        Assert.Equal(elasticsearch.Endpoint, host.Services.GetRequiredService<ElasticsearchClient>().ElasticsearchClientSettings.NodePool.Nodes.Single().Uri);
    }

    [Fact]
    public async Task TheHealthCheckKeepsThePathPrefixAndSaysWhichPrivilegeTheClusterWants()
    {
        await using var elasticsearch = await ElasticsearchBulkStandIn.StartAsync(pathBase: "/es");
        elasticsearch.ClusterPrivileges = new HashSet<string>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Elasticsearch}"] = elasticsearch.ConnectionString,
        });
        builder.AddElasticsearchClient(ConnectionNames.Elasticsearch);
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var refused = (await health.CheckHealthAsync()).Entries["Elastic.Clients.Elasticsearch"];
        elasticsearch.ClusterPrivileges = new HashSet<string> { "monitor" };
        var granted = (await health.CheckHealthAsync()).Entries["Elastic.Clients.Elasticsearch"];

        Assert.Equal(HealthStatus.Unhealthy, refused.Status);
        Assert.Contains("403 security_exception", refused.Description);
        Assert.Contains("cluster privileges [monitor", refused.Description);
        Assert.Equal(HealthStatus.Healthy, granted.Status);
        Assert.Equal(["GET /es/_cluster/health", "GET /es/_cluster/health"], elasticsearch.Requests);
    }
}
