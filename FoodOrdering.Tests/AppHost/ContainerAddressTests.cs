using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.AppHost;

/// <summary>
/// Containers mode's addresses as a run and a publish resolve them: every address a container advertises or is
/// configured with, and every connection string a service gets, must reach the endpoint it is meant for from where
/// its reader sits (a service on the host: a mapped port on localhost; a container: another container's name and
/// target port). No container engine is needed: endpoints are allocated the way the orchestrator does.
/// </summary>
public sealed class ContainerAddressTests
{
    private static readonly string[] Arguments =
    [
        "--Infrastructure", "Containers",
        "--Parameters:elasticsearch-password", "not-a-real-password",
        "--Parameters:kibana-system-password", "not-a-real-password-either",
    ];

    private static readonly string[] Services = [ResourceNames.Producer, ResourceNames.Transactions, ResourceNames.Emails];

    [Fact]
    public async Task InARunEveryServiceReachesKafkaWhereKafkaAdvertisesItself()
    {
        await using var run = await SimulatedRun.CreateAsync(Arguments);

        var (listeners, advertised) = await KafkaListeners.OfAsync(run.EnvironmentOf);
        var hostListener = run.Port(ConnectionNames.Kafka, "tcp").Target;

        // The listener a host client lands on must send it back to an address it can reach: the same one.
        Assert.Equal(hostListener, Addresses.Split(listeners["PLAINTEXT_HOST"]).Port);
        Assert.Equal((ConnectionNames.Kafka, hostListener), run.FromHost(advertised["PLAINTEXT_HOST"]));
        foreach (var service in Services)
        {
            var bootstrap = (await run.EnvironmentOf(service))["ConnectionStrings__kafka"];
            Assert.Equal((ConnectionNames.Kafka, hostListener), run.FromHost(bootstrap));
            Assert.Equal(advertised["PLAINTEXT_HOST"], bootstrap);
        }
    }

    [Fact]
    public async Task InARunKafkaUiReachesKafkaOverTheContainerNetworkWhereKafkaAdvertisesItself()
    {
        await using var run = await SimulatedRun.CreateAsync(Arguments);

        var (listeners, advertised) = await KafkaListeners.OfAsync(run.EnvironmentOf);
        var internalListener = run.Port(ConnectionNames.Kafka, "internal").Target;
        var bootstrap = (await run.EnvironmentOf("kafka-ui"))["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"];

        Assert.Equal(internalListener, Addresses.Split(listeners["PLAINTEXT_INTERNAL"]).Port);
        Assert.Equal((ConnectionNames.Kafka, internalListener), run.FromContainer(advertised["PLAINTEXT_INTERNAL"]));
        Assert.Equal((ConnectionNames.Kafka, internalListener), run.FromContainer(bootstrap));
        Assert.Equal(advertised["PLAINTEXT_INTERNAL"], bootstrap);
    }

    [Fact]
    public async Task InARunKibanaReachesElasticsearchOverTheContainerNetworkAndServicesReachEveryContainerOnTheHost()
    {
        await using var run = await SimulatedRun.CreateAsync(Arguments);

        var kibana = await run.EnvironmentOf("kibana");
        Assert.Equal((ConnectionNames.Elasticsearch, 9200), run.FromContainer(new Uri(kibana["ELASTICSEARCH_HOSTS"]).Authority));

        var transactions = await run.EnvironmentOf(ResourceNames.Transactions);
        Assert.Equal((ConnectionNames.Elasticsearch, 9200), run.FromHost(new Uri(transactions["ConnectionStrings__elasticsearch"]).Authority));
        var emails = await run.EnvironmentOf(ResourceNames.Emails);
        Assert.Equal((ConnectionNames.Smtp, 1025), run.FromHost(new Uri(emails["ConnectionStrings__smtp"]["Endpoint=".Length..]).Authority));
    }

    [Fact]
    public async Task InARunEveryAddressInAContainersEnvironmentIsOneItCanReach()
    {
        await using var run = await SimulatedRun.CreateAsync(Arguments);

        foreach (var container in run.Containers)
        {
            var environment = await run.EnvironmentOf(container.Name);
            foreach (var (name, value) in environment)
            {
                // Kafka's listeners are read by its clients, each from its own side, which the tests above check.
                if (container.Name == ConnectionNames.Kafka && name.StartsWith("KAFKA_", StringComparison.Ordinal) && name.EndsWith("LISTENERS", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var address in Addresses.In(value))
                {
                    Assert.True(run.TryFromContainer(address, out _), $"{container.Name}'s {name} holds {address}, which no container reaches.");
                }
            }
        }
    }

    [Fact]
    public async Task InARunEveryConnectionStringAServiceGetsReachesAContainerFromTheHost()
    {
        await using var run = await SimulatedRun.CreateAsync(Arguments);

        foreach (var service in Services)
        {
            foreach (var (name, value) in (await run.EnvironmentOf(service)).Where(variable => variable.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
            {
                var addresses = Addresses.In(value).ToList();
                Assert.NotEmpty(addresses);
                Assert.All(addresses, address => Assert.True(run.TryFromHost(address, out _), $"{service}'s {name} holds {address}, which the host does not reach."));
            }
        }
    }

    [Fact]
    public async Task WhenPublishedEveryAddressInAnEnvironmentNamesAPublishedResourceAndOneOfItsPorts()
    {
        // Built as a publish builds it: some endpoints are shaped for a run only (a service reached without Aspire's proxy).
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>([.. Arguments, "--operation", "publish", "--publisher", "manifest"]);
        var model = new PublishedModel(builder.Resources);
        var published = builder.Resources.OfType<IResourceWithEnvironment>().Where(resource => !model.IsExcluded(resource.Name)).ToList();
        var ports = builder.Resources.ToDictionary(r => r.Name, r => r.Annotations.OfType<EndpointAnnotation>().Select(e => e.TargetPort).ToList());

        foreach (var resource in published)
        {
            // KAFKA_LISTENERS holds the addresses the broker binds, not ones anyone connects to.
            foreach (var (name, value) in (await model.EnvironmentOf(resource.Name)).Where(variable => variable.Key != "KAFKA_LISTENERS"))
            {
                foreach (var address in Addresses.In(value))
                {
                    var (host, port) = Addresses.Split(address);
                    // The broker's own loopback listener is the one address that stays inside its container.
                    if (resource.Name == ConnectionNames.Kafka && address == "localhost:29092")
                    {
                        continue;
                    }

                    Assert.True(published.Any(r => r.Name == host) && ports[host].Contains(port),
                        $"{resource.Name}'s {name} holds {address}, which is no published resource's port.");
                }
            }
        }
    }

    [Fact]
    public async Task WhenPublishedKafkaAdvertisesTheAddressesItsClientsAreGiven()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(Arguments);
        var model = new PublishedModel(builder.Resources);

        var (listeners, advertised) = await KafkaListeners.OfAsync(model.EnvironmentOf);

        // Published, every workload shares one network and reaches a container by its name and target port.
        Assert.Equal("kafka:9092", advertised["PLAINTEXT_HOST"]);
        Assert.Equal("kafka:9093", advertised["PLAINTEXT_INTERNAL"]);
        Assert.Equal(9092, Addresses.Split(listeners["PLAINTEXT_HOST"]).Port);
        Assert.Equal(9093, Addresses.Split(listeners["PLAINTEXT_INTERNAL"]).Port);
        foreach (var service in Services)
        {
            Assert.Equal("kafka:9092", (await model.EnvironmentOf(service))["ConnectionStrings__kafka"]);
        }

        Assert.Equal("http://elastic:{elasticsearch-password.value}@elasticsearch:9200",
            (await model.EnvironmentOf(ResourceNames.Transactions))["ConnectionStrings__elasticsearch"]);
        Assert.Equal("Endpoint=smtp://smtp:1025", (await model.EnvironmentOf(ResourceNames.Emails))["ConnectionStrings__smtp"]);
        // A development tool stays out of what is deployed.
        Assert.True(model.IsExcluded("kafka-ui"), "kafka-ui is published");
    }

    /// <summary>Kafka's <c>NAME://host:port,…</c> listener lists, as listener name to address.</summary>
    private static class KafkaListeners
    {
        /// <summary>Kafka's listeners and advertised listeners, from its environment as <paramref name="environmentOf"/> resolves it.</summary>
        public static async Task<(Dictionary<string, string> Listeners, Dictionary<string, string> Advertised)> OfAsync(
            Func<string, Task<Dictionary<string, string>>> environmentOf)
        {
            var kafka = await environmentOf(ConnectionNames.Kafka);
            return (Parse(kafka["KAFKA_LISTENERS"]), Parse(kafka["KAFKA_ADVERTISED_LISTENERS"]));
        }

        public static Dictionary<string, string> Parse(string listeners) =>
            listeners.Split(',').Select(listener => listener.Split("://")).ToDictionary(parts => parts[0], parts => parts[1]);
    }
}
