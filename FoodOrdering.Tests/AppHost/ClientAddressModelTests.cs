using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.AppHost;

/// <summary>How the AppHost lets the Producer see who its clients are.</summary>
public sealed class ClientAddressModelTests
{
    [Fact]
    public async Task OneProducerIsReachedWithoutAspiresProxySoEachClientKeepsItsOwnAddress()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", "Embedded"]);

        Assert.False(HttpEndpoint(builder).IsProxied);
    }

    [Fact]
    public async Task ProducerReplicasShareAspiresProxiedEndpoint()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--Producer:Replicas", "2", "--ConnectionStrings:redis", "localhost:6379"]);

        Assert.True(HttpEndpoint(builder).IsProxied);
    }

    [Fact]
    public async Task TheProducerBelievesForwardedHeadersOnlyFromTheProxiesGivenToTheAppHost()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8"]);

        var run = await ManifestEnvironment.OfAsync(Producer(builder));
        var published = await ManifestEnvironment.OfAsync(Producer(builder), DistributedApplicationOperation.Publish);

        Assert.Equal("10.0.0.0/8", run["ForwardedHeaders__KnownNetworks__0"]);
        Assert.DoesNotContain("ASPNETCORE_FORWARDEDHEADERS_ENABLED", published.Keys);
    }

    private static IResource Producer(IDistributedApplicationTestingBuilder builder) =>
        builder.Resources.Single(resource => resource.Name == ResourceNames.Producer);

    private static EndpointAnnotation HttpEndpoint(IDistributedApplicationTestingBuilder builder) =>
        Producer(builder).Annotations.OfType<EndpointAnnotation>().Single(endpoint => endpoint.Name == "http");
}
