using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FoodOrdering.AppHost.Containers;
using FoodOrdering.Embedded;
using FoodOrdering.Tests.Support;
using FoodOrdering.TopicProvisioner;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// The health check the AppHost gives the Kafka it runs in Containers mode, and the topic provisioning step,
/// tried against the embedded broker, whose advertised address and availability a test can set.
/// </summary>
public sealed class ContainersKafkaSetupTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task TheHealthCheckPassesWhenTheBrokerAdvertisesTheAddressItsClientsWereGiven()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, []);
        var check = new KafkaClusterHealthCheck(() => kafka.BootstrapServers, new FakeLogger());

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task TheHealthCheckFailsAndSaysWhyWhenTheBrokerAdvertisesAnotherAddress()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, []);
        var elsewhere = UnusedPort();
        kafka.SetBrokerAdvertisedAddress(1, "localhost", elsewhere);
        var check = new KafkaClusterHealthCheck(() => kafka.BootstrapServers, new FakeLogger());

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains($"answers at {kafka.BootstrapServers} but advertises localhost:{elsewhere}", result.Description);
        Assert.Contains("KAFKA_ADVERTISED_LISTENERS", result.Description);
    }

    [Fact]
    public async Task TheHealthCheckLogsTheClientsConnectionErrorsThroughTheLogger()
    {
        var logger = new FakeLogger();
        var check = new KafkaClusterHealthCheck(() => $"127.0.0.1:{UnusedPort()}", logger);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains(logger.Collector.GetSnapshot(), record => record.Message.Contains("Connection refused", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TopicProvisioningRetriesWhileTheBrokerIsUnreachableAndGivesUpAfterItsTimeoutNamingTheAddressItTried()
    {
        var address = $"127.0.0.1:{UnusedPort()}";
        var logger = new FakeLogger<TopicProvisioning>();
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Provisioning(address, TimeSpan.FromSeconds(3), logger).ProvisionAsync(CancellationToken.None));

        Assert.StartsWith($"Could not create the Kafka topics orders on {address} within 3 s: ", error.Message);
        // Its own 3 s, and then no longer than a call takes to end: it gives up when its timeout runs out, not when the test's does.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3) + TestTimeouts.Call);
        var attempts = logger.Collector.GetSnapshot().Where(r => r.Message.StartsWith($"Creating Kafka topics on {address} failed", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(attempts);
    }

    [Fact]
    public async Task TopicProvisioningFindsTopicsInPlaceWithoutAskingToCreateThemAndReportsTooFewPartitions()
    {
        // The mock broker has no controller to take CreateTopics, so this passes only if none is sent.
        using var kafka = EmbeddedKafkaCluster.Start(1, 2, ["orders", "emails"]);
        var logger = new FakeLogger<TopicProvisioning>();
        var provisioning = new TopicProvisioning(
            ["orders", "emails"],
            Options.Create(new TopicProvisioningOptions { BootstrapServers = kafka.BootstrapServers, Partitions = 3, Timeout = Timeout }),
            () => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).SetLogHandler((_, _) => { }).Build(),
            logger);

        await provisioning.ProvisionAsync(CancellationToken.None).WaitAsync(Timeout);

        var log = logger.Collector.GetSnapshot();
        Assert.Contains(log, r => r.Message == $"Kafka topics are in place on {kafka.BootstrapServers}");
        Assert.Equal(2, log.Count(r => r.Level == LogLevel.Warning && r.Message.Contains("has 2 of the 3 partitions planned", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TopicProvisioningStopsWhenItsHostStops()
    {
        using var stopping = new CancellationTokenSource();
        var logger = new FakeLogger<TopicProvisioning>();
        var provisioning = Provisioning($"127.0.0.1:{UnusedPort()}", Timeout, logger).ProvisionAsync(stopping.Token);
        await Eventually.WaitUntilAsync(() => logger.Collector.Count > 0, Timeout, () => "no attempt was made");

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provisioning.WaitAsync(Timeout));
    }

    private static TopicProvisioning Provisioning(string address, TimeSpan timeout, FakeLogger<TopicProvisioning> logger) => new(
        ["orders"],
        Options.Create(new TopicProvisioningOptions { BootstrapServers = address, Partitions = 1, Timeout = timeout }),
        () => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = address }).SetLogHandler((_, _) => { }).Build(),
        logger);

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
