using Aspire.Hosting.ApplicationModel;
using FoodOrdering.AppHost;
using FoodOrdering.AppHost.Containers;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.AppHost;

/// <summary>
/// What <c>dotnet run --project FoodOrdering.AppHost -- --publisher manifest</c> describes: a deployment that runs
/// wherever it is deployed, whatever the machine that published it has (this one may have no container engine).
/// </summary>
public sealed class PublishedManifestTests
{
    private static readonly string[] Services = [ResourceNames.Producer, ResourceNames.Transactions, ResourceNames.Emails, ResourceNames.Console];

    /// <summary>Settings for a developer's machine that a deployment must not get, by resource.</summary>
    private static readonly (string Resource, string Variable)[] RunModeOnlySettings =
    [
        // With the disk watermarks off, a full volume stops Elasticsearch instead of turning the index read-only.
        (ConnectionNames.Elasticsearch, ElasticResourceBuilderExtensions.DevelopmentDiskThresholdSetting),
    ];

    private static readonly string[] OneShotSteps = [ResourceNames.KafkaTopics, "kibana-password"];

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
        Assert.Equal("{operator-api-key.value}", manifest.Environment(ResourceNames.Console)["Operator__ApiKey"]);
        // A deployment takes real orders only: the generator waits for an operator to start it.
        Assert.Equal("false", producer["OrderGenerator__Enabled"]);
        Assert.Equal("{elasticsearch.connectionString}", manifest.Environment(ResourceNames.Transactions)["ConnectionStrings__elasticsearch"]);
        Assert.Equal("{smtp.connectionString}", manifest.Environment(ResourceNames.Emails)["ConnectionStrings__smtp"]);
        Assert.Equal("{kibana-system-password.value}", manifest.Environment("kibana")["ELASTICSEARCH_PASSWORD"]);

        Assert.Equal([(ConnectionNames.Kafka, WaitType.WaitUntilHealthy)], manifest.WaitsOf(ResourceNames.KafkaTopics));
        Assert.All(Services, name => Assert.Contains((ResourceNames.KafkaTopics, WaitType.WaitForCompletion), manifest.WaitsOf(name)));
    }

    [Fact]
    public async Task TheKafkaBrokerKeepsAnEmptyKafkaPortThoughKubernetesServiceLinksInjectOne()
    {
        var manifest = await PublishedManifest.PublishAsync();

        var environment = KubernetesServiceLinks.Merge(manifest, ConnectionNames.Kafka, clusterIp: "10.0.0.1");

        // confluent-local's configure script exits 1 ("port is deprecated") when KAFKA_PORT is set and not empty.
        Assert.Equal("tcp://10.0.0.1:9092", KubernetesServiceLinks.For(manifest, "10.0.0.1")["KAFKA_PORT"]);
        Assert.Equal("", environment["KAFKA_PORT"]);
    }

    [Fact]
    public async Task NoSettingMeantForADevelopersMachineIsPublishedThoughARunHasEach()
    {
        var manifest = await PublishedManifest.PublishAsync();
        await using var run = await SimulatedRun.CreateAsync(
            ["--Infrastructure", "Containers", "--Parameters:elasticsearch-password", "not-a-real-password", "--Parameters:kibana-system-password", "not-a-real-password-either"]);

        foreach (var (resource, variable) in RunModeOnlySettings)
        {
            Assert.DoesNotContain(variable, manifest.Environment(resource).Keys);
            Assert.Contains(variable, (await run.EnvironmentOf(resource)).Keys);
        }
    }

    [Fact]
    public async Task EveryOneShotStepIsMarkedAndWaitedForToCompleteAndNothingElseIs()
    {
        var manifest = await PublishedManifest.PublishAsync();

        var marked = manifest.Model.Where(resource => resource.Annotations.OfType<OneShotStepAnnotation>().Any()).Select(resource => resource.Name);
        var awaitedToComplete = manifest.Model
            .SelectMany(resource => resource.Annotations.OfType<WaitAnnotation>())
            .Where(wait => wait.WaitType == WaitType.WaitForCompletion)
            .Select(wait => wait.Resource.Name)
            .Distinct();
        Assert.Equal(OneShotSteps.Order(), marked.Order());
        Assert.Equal(OneShotSteps.Order(), awaitedToComplete.Order());
        Assert.All(OneShotSteps, step => Assert.Contains(step, manifest.Names));
    }

    [Fact]
    public async Task EachPublishedResourceWaitsForWhatItNeedsFirst()
    {
        var manifest = await PublishedManifest.PublishAsync();

        Assert.Equal([(ConnectionNames.Kafka, WaitType.WaitUntilHealthy)], manifest.WaitsOf(ResourceNames.KafkaTopics));
        Assert.Equal([(ConnectionNames.Elasticsearch, WaitType.WaitUntilHealthy)], manifest.WaitsOf("kibana-password"));
        Assert.Equal(
            [(ConnectionNames.Elasticsearch, WaitType.WaitUntilHealthy), ("kibana-password", WaitType.WaitForCompletion)],
            manifest.WaitsOf("kibana").Order());
        foreach (var service in Services)
        {
            Assert.Contains((ConnectionNames.Kafka, WaitType.WaitUntilHealthy), manifest.WaitsOf(service));
            Assert.Contains((ResourceNames.KafkaTopics, WaitType.WaitForCompletion), manifest.WaitsOf(service));
        }

        Assert.Contains((ConnectionNames.Redis, WaitType.WaitUntilHealthy), manifest.WaitsOf(ResourceNames.Producer));
        Assert.Contains((ConnectionNames.Smtp, WaitType.WaitUntilHealthy), manifest.WaitsOf(ResourceNames.Emails));
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
