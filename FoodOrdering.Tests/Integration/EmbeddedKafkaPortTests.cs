using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>The embedded broker on a fixed port, as <c>kcat -b localhost:9092</c> or any Kafka tool reaches it.</summary>
public sealed class EmbeddedKafkaPortTests
{
    private const string Topic = "port-test";

    [Fact]
    public void EveryBrokerIsReachableAndAdvertisedOnItsFixedPortAtLocalhost()
    {
        var firstPort = FreePorts(2);
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 2, partitions: 2, [Topic]);

        cluster.ListenOn(firstPort, "Embedded:KafkaPort");

        Assert.Equal($"localhost:{firstPort},localhost:{firstPort + 1}", cluster.BootstrapServers);
        // A client given only the first port learns both brokers from it, and both answer where they say they are.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = $"localhost:{firstPort}" }).Build();
        var metadata = admin.GetMetadata(TestTimeouts.Call);
        Assert.Equal([("localhost", firstPort), ("localhost", firstPort + 1)], metadata.Brokers.OrderBy(b => b.BrokerId).Select(b => (b.Host, b.Port)));
        Assert.Contains(metadata.Topics, topic => topic.Topic == Topic);

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = $"localhost:{firstPort}" }).Build();
        var written = Enumerable.Range(0, 20).Select(i => producer.ProduceAsync(Topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}" }).GetAwaiter().GetResult()).ToList();
        Assert.Equal(2, written.Select(result => result.Partition.Value).Distinct().Count());

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = $"localhost:{firstPort}", GroupId = "port-test", AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Subscribe(Topic);
        var read = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (read.Count < written.Count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record)
            {
                read.Add(record.Message.Value);
            }
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"v{i}").Order(), read.Order());
        consumer.Close();
    }

    [Fact]
    public void APortInUseFailsAtOnceNamingThePortAndTheSetting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 1, partitions: 1, [Topic]);

        var error = Assert.Throws<InvalidOperationException>(() => cluster.ListenOn(port, "Embedded:KafkaPort"));

        Assert.Contains($"Port {port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("--Embedded:KafkaPort", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The first of <paramref name="count"/> consecutive ports nothing listens on right now.</summary>
    private static int FreePorts(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var first = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (first + count <= IPEndPoint.MaxPort && Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
