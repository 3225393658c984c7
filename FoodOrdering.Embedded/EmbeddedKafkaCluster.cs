namespace FoodOrdering.Embedded;

/// <summary>
/// A Kafka-protocol broker in this process: librdkafka's mock cluster, listening on loopback TCP. It speaks
/// the real protocol (produce, fetch, consumer groups, idempotence, transactions) but keeps everything in
/// memory and forgets it on exit: a development and test stand-in, not a Kafka replacement.
/// </summary>
internal sealed class EmbeddedKafkaCluster : IDisposable
{
    private const int InitialRebalanceDelayMs = 500;

    private readonly IntPtr _handle;
    private readonly IntPtr _cluster;
    private readonly int _brokers;
    private readonly List<LoopbackRelay> _relays = [];
    private bool _disposed;

    private EmbeddedKafkaCluster(IntPtr handle, IntPtr cluster, int brokers)
    {
        _handle = handle;
        _cluster = cluster;
        _brokers = brokers;
        BootstrapServers = Librdkafka.MockClusterBootstraps(cluster);
    }

    public string BootstrapServers { get; private set; }

    public static EmbeddedKafkaCluster Start(int brokers, int partitions, IEnumerable<string> topics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);

        var handle = Librdkafka.NewHandle();
        var cluster = Librdkafka.NewMockCluster(handle, brokers);
        if (cluster == IntPtr.Zero)
        {
            Librdkafka.Destroy(handle);
            throw new InvalidOperationException("librdkafka could not start its mock cluster.");
        }

        // The mock broker, as a real one by default, holds an empty group's first join for 3 s in case more members
        // come (group.initial.rebalance.delay.ms; Kafka's own server.properties sets it to 0 for development and
        // testing). Held for less, a group whose members start together (Transactions runs several workers in one)
        // still forms in one round, where a member joining a formed group costs a whole round of the session timeout.
        Librdkafka.SetGroupInitialRebalanceDelay(cluster, InitialRebalanceDelayMs);
        var started = new EmbeddedKafkaCluster(handle, cluster, brokers);
        try
        {
            foreach (var topic in topics)
            {
                started.CreateTopic(topic, partitions);
            }
        }
        catch
        {
            started.Dispose();
            throw;
        }

        return started;
    }

    /// <summary>
    /// Makes the brokers reachable on fixed ports, <paramref name="firstPort"/> for broker 1 and on, at <c>localhost</c>:
    /// each port relays to its broker, and each broker advertises its port, so clients given <c>localhost:9092</c>
    /// find every broker there. <see cref="BootstrapServers"/> names the fixed ports from then on.
    /// </summary>
    public void ListenOn(int firstPort, string portSetting)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var brokers = Librdkafka.MockClusterBootstraps(_cluster).Split(',');
        using (var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = BootstrapServers }).Build())
        {
            // The brokers by id, as the cluster itself lists them, since the bootstrap string does not say which is which.
            brokers = [.. admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.OrderBy(broker => broker.BrokerId).Select(broker => $"{broker.Host}:{broker.Port}")];
        }

        for (var i = 0; i < brokers.Length; i++)
        {
            var port = firstPort + i;
            _relays.Add(LoopbackRelay.Start(port, System.Net.IPEndPoint.Parse(brokers[i]), portSetting));
            Librdkafka.SetBrokerHostPort(_cluster, i + 1, "localhost", port);
        }

        BootstrapServers = string.Join(',', Enumerable.Range(firstPort, brokers.Length).Select(port => $"localhost:{port}"));
    }

    public void CreateTopic(string topic, int partitions)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Librdkafka.CreateMockTopic(_cluster, topic, partitions, Math.Min(_brokers, 3));
    }

    /// <summary>
    /// Makes the next requests of the given API fail with these errors, one each, in order (librdkafka's mock
    /// error injection): how tests put a client through broker faults.
    /// </summary>
    public void InjectRequestErrors(KafkaApiKey api, params Confluent.Kafka.ErrorCode[] errors)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Librdkafka.PushRequestErrors(_cluster, (short)api, [.. errors.Select(error => (int)error)]);
    }

    /// <summary>Drops the injected errors of that API not used yet.</summary>
    public void ClearRequestErrors(KafkaApiKey api)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Librdkafka.ClearRequestErrors(_cluster, (short)api);
    }

    /// <summary>Brokers are numbered from 1.</summary>
    public void SetBrokerDown(int brokerId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Librdkafka.SetBrokerDown(_cluster, brokerId);
    }

    public void SetBrokerUp(int brokerId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Librdkafka.SetBrokerUp(_cluster, brokerId);
    }

    /// <summary>
    /// Delays every answer of broker <paramref name="brokerId"/> by <paramref name="delay"/> (zero for none); the
    /// broker still does the work at once, so a produce whose answer comes too late was written all the same.
    /// </summary>
    public void SetBrokerRoundTripTime(int brokerId, TimeSpan delay)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Librdkafka.SetBrokerRoundTripTime(_cluster, brokerId, (int)delay.TotalMilliseconds);
    }

    /// <summary>
    /// Makes broker <paramref name="brokerId"/> advertise <paramref name="host"/>:<paramref name="port"/> in metadata
    /// while it goes on listening where it did: a broker whose advertised listener is misconfigured.
    /// </summary>
    public void SetBrokerAdvertisedAddress(int brokerId, string host, int port)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Librdkafka.SetBrokerHostPort(_cluster, brokerId, host, port);
    }

    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Librdkafka.SetPartitionLeader(_cluster, topic, partition, brokerId);
    }

    /// <summary>Makes <paramref name="brokerId"/> the coordinator of a consumer group, as a test needs to know which one it is.</summary>
    public void SetGroupCoordinator(string groupId, int brokerId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Librdkafka.SetCoordinator(_cluster, "group", groupId, brokerId);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _relays.ForEach(relay => relay.Dispose());
        Librdkafka.DestroyMockCluster(_cluster);
        Librdkafka.Destroy(_handle);
    }
}
