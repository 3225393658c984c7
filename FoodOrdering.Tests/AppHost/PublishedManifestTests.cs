using Aspire.Hosting.ApplicationModel;
using FoodOrdering.AppHost;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.AppHost;

/// <summary>
/// What <c>dotnet run --project FoodOrdering.AppHost -- --publisher manifest</c> describes: a deployment that runs
/// wherever it is deployed, whatever the machine that published it has (this one may have no container engine).
/// </summary>
public sealed class PublishedManifestTests
{
    private static readonly string[] Services = [ResourceNames.Producer, ResourceNames.Transactions, ResourceNames.Emails];

    [Fact]
    public async Task ThePublishedManifestHoldsKafkaRedisElasticsearchKibanaAMailServerTheTopicStepAndTheServicesWiredToThem()
    {
        var manifest = await PublishedManifest.PublishAsync();

        Assert.Equal("docker.io/confluentinc/confluent-local:8.2.0", manifest[ConnectionNames.Kafka].GetProperty("image").GetString());
        Assert.Equal("docker.io/library/redis:8.6", manifest[ConnectionNames.Redis].GetProperty("image").GetString());
        Assert.Equal("docker.elastic.co/elasticsearch/elasticsearch:9.5.3", manifest[ConnectionNames.Elasticsearch].GetProperty("image").GetString());
        Assert.Equal("docker.elastic.co/kibana/kibana:9.5.3", manifest["kibana"].GetProperty("image").GetString());
        Assert.Equal("docker.io/axllent/mailpit:v1.20.4", manifest[ConnectionNames.Smtp].GetProperty("image").GetString());
        Assert.All([ResourceNames.KafkaTopics, .. Services], name => Assert.Equal("project.v0", manifest.Type(name)));
        Assert.DoesNotContain("kafka-ui", manifest.Names);
        Assert.Equal("{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port}", manifest.ConnectionString(ConnectionNames.Kafka));
        // Kafka's messages and Elasticsearch's index outlive their containers.
        Assert.All(new[] { ConnectionNames.Kafka, ConnectionNames.Elasticsearch }, name => Assert.Single(manifest[name].GetProperty("volumes").EnumerateArray()));

        Assert.Equal("{kafka.connectionString}", manifest.Environment(ResourceNames.KafkaTopics)["ConnectionStrings__kafka"]);
        Assert.All(Services, name => Assert.Equal("{kafka.connectionString}", manifest.Environment(name)["ConnectionStrings__kafka"]));
        var producer = manifest.Environment(ResourceNames.Producer);
        Assert.Equal("{redis.connectionString}", producer["ConnectionStrings__redis"]);
        Assert.Equal("{operator-api-key.value}", producer["Operator__ApiKey"]);
        // A deployment takes real orders only: the generator waits for an operator to start it.
        Assert.Equal("false", producer["OrderGenerator__Enabled"]);
        Assert.Equal("{elasticsearch.connectionString}", manifest.Environment(ResourceNames.Transactions)["ConnectionStrings__elasticsearch"]);
        Assert.Equal("{smtp.connectionString}", manifest.Environment(ResourceNames.Emails)["ConnectionStrings__smtp"]);
        Assert.Equal("{kibana-system-password.value}", manifest.Environment("kibana")["ELASTICSEARCH_PASSWORD"]);

        Assert.Equal([(ConnectionNames.Kafka, WaitType.WaitUntilHealthy)], manifest.WaitsOf(ResourceNames.KafkaTopics));
        Assert.All(Services, name => Assert.Contains((ResourceNames.KafkaTopics, WaitType.WaitForCompletion), manifest.WaitsOf(name)));
    }

    [Fact]
    public async Task EverySecretOfThePublishedManifestIsASecretParameter()
    {
        var manifest = await PublishedManifest.PublishAsync();

        foreach (var name in new[] { ProducerResourceExtensions.OperatorKeyParameter, "elasticsearch-password", "kibana-system-password", "redis-password" })
        {
            Assert.Equal("parameter.v0", manifest.Type(name));
            Assert.True(manifest[name].GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), $"{name} is not secret");
        }
    }

    [Fact]
    public async Task NoPublishedResourceCarriesASettingMeantForTheEmbeddedStandIns()
    {
        var manifest = await PublishedManifest.PublishAsync();

        Assert.Equal("container.v0", manifest.Type(ConnectionNames.Kafka));
        Assert.Equal("container.v0", manifest.Type(ConnectionNames.Smtp));
        foreach (var name in manifest.Names)
        {
            Assert.DoesNotContain("bootstrapServers", manifest[name].GetRawText(), StringComparison.OrdinalIgnoreCase);
            foreach (var (key, value) in manifest.Environment(name))
            {
                Assert.DoesNotContain("CommitOffsetsAfterTransaction", key, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("FetchWaitMaxMs", key, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("fetch.wait.max.ms", key, StringComparison.OrdinalIgnoreCase);
                Assert.False(key.StartsWith("Embedded__", StringComparison.OrdinalIgnoreCase), $"{name} gets {key}");
                Assert.DoesNotContain("127.0.0.1", value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task PublishedInExternalModeEveryConnectionIsAParameterTheDeploymentFillsIn()
    {
        var manifest = await PublishedManifest.PublishAsync("--Infrastructure", "External");

        foreach (var name in new[] { ConnectionNames.Kafka, ConnectionNames.Smtp, ConnectionNames.Elasticsearch, ConnectionNames.Redis })
        {
            Assert.Equal("parameter.v0", manifest.Type(name));
            Assert.Equal($"{{{name}.value}}", manifest.ConnectionString(name));
        }

        Assert.Equal("{kafka.connectionString}", manifest.Environment(ResourceNames.KafkaTopics)["ConnectionStrings__kafka"]);
        Assert.Equal("{redis.connectionString}", manifest.Environment(ResourceNames.Producer)["ConnectionStrings__redis"]);
        Assert.Equal("{elasticsearch.connectionString}", manifest.Environment(ResourceNames.Transactions)["ConnectionStrings__elasticsearch"]);
        Assert.DoesNotContain("kibana", manifest.Names);
    }

    [Fact]
    public async Task PublishingEmbeddedModeStopsSayingWhyAndWhatToPublishInstead()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => PublishedManifest.PublishAsync("--Infrastructure", "Embedded"));

        Assert.Equal(
            "Embedded mode cannot be published: its Kafka and SMTP stand-ins run inside the AppHost. Publish with --Infrastructure Containers (the default) or External.",
            error.GetBaseException().Message);
    }
}
