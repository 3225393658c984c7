using Elastic.Transport;
using FoodOrdering.Elasticsearch;
using Microsoft.Extensions.Configuration;

namespace FoodOrdering.Tests.Unit;

/// <summary>The <c>elasticsearch</c> connection string in its two forms: a URL with credentials, and Endpoint plus ApiKey.</summary>
public sealed class ElasticsearchSettingsTests
{
    [Fact]
    public void AUrlWithCredentialsBecomesBasicAuthenticationAndLeavesTheNodeUrlClean()
    {
        var settings = Read("http://elastic:p%40ss@localhost:9200");

        var client = ElasticsearchClientExtensions.CreateClientSettings(settings, ConnectionNames.Elasticsearch, null);

        Assert.Equal(new Uri("http://localhost:9200"), Assert.Single(((ITransportConfiguration)client).NodePool.Nodes).Uri);
        var basic = Assert.IsType<BasicAuthentication>(((ITransportConfiguration)client).Authentication);
        Assert.True(basic.TryGetAuthorizationParameters(out var parameters));
        Assert.Equal(Convert.ToBase64String("elastic:p@ss"u8.ToArray()), parameters);
    }

    [Fact]
    public void EndpointAndApiKeyAreForAManagedCluster()
    {
        var settings = Read("Endpoint=https://analytics.es.example.cloud:443;ApiKey=bm90LWEtcmVhbC1rZXk=");

        var client = ElasticsearchClientExtensions.CreateClientSettings(settings, ConnectionNames.Elasticsearch, null);

        Assert.Equal(new Uri("https://analytics.es.example.cloud:443"), settings.Endpoint);
        Assert.Equal("bm90LWEtcmVhbC1rZXk=", settings.ApiKey);
        Assert.IsType<ApiKey>(((ITransportConfiguration)client).Authentication);
    }

    [Fact]
    public void SettingsComeFromTheAspireSectionThenTheConnectionStringThenTheDelegate()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aspire:Elastic:Clients:Elasticsearch:Endpoint"] = "http://section:9200",
            ["Aspire:Elastic:Clients:Elasticsearch:DisableTracing"] = "true",
            ["ConnectionStrings:elasticsearch"] = "http://connection-string:9200",
        }).Build();

        var settings = ElasticsearchClientExtensions.ReadSettings(configuration, ConnectionNames.Elasticsearch, s => s.DisableHealthChecks = true);

        Assert.Equal(new Uri("http://connection-string:9200"), settings.Endpoint);
        Assert.True(settings.DisableTracing);
        Assert.True(settings.DisableHealthChecks);
        Assert.False(new ConfigurationBuilder().Build().IsElasticsearchConfigured(ConnectionNames.Elasticsearch));
    }

    private static ElasticClientsElasticsearchSettings Read(string connectionString)
    {
        var settings = new ElasticClientsElasticsearchSettings();
        settings.ParseConnectionString(connectionString);
        return settings;
    }
}
