using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;

namespace FoodOrdering.Benchmarks.Infrastructure;

/// <summary>
/// The Kafka a scenario runs against: a fresh embedded broker (librdkafka's mock cluster, as in the AppHost's
/// embedded mode) per scenario, or the cluster named by <c>--bootstrap</c>, whose topics must already exist.
/// </summary>
internal sealed class BenchmarkKafka : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    // librdkafka's mock keeps at most 5 MiB (or 100,000 produce batches) per partition and drops the oldest beyond
    // that, moving the log start on: a consumer further behind finds its offset gone and, with
    // auto.offset.reset=earliest, silently skips ahead. Preloads are spread so that each partition holds at most this.
    private const long MockBytesPerPartition = 4L * 1024 * 1024;
    private const int DefaultPartitions = 3;

    private readonly EmbeddedKafkaCluster? _embedded;

    private BenchmarkKafka(string bootstrapServers, EmbeddedKafkaCluster? embedded)
    {
        BootstrapServers = bootstrapServers;
        _embedded = embedded;
    }

    public string BootstrapServers { get; }

    public bool IsEmbedded => _embedded is not null;

    public int Partitions { get; private init; }

    /// <param name="preloadBytes">About how much the scenario puts on one topic before its service starts.</param>
    public static BenchmarkKafka Start(BenchmarkOptions options, long preloadBytes)
    {
        if (options.Bootstrap is { } bootstrap)
        {
            return new BenchmarkKafka(bootstrap, null);
        }

        var partitions = options.Partitions ?? Math.Max(DefaultPartitions, (int)Math.Ceiling((double)preloadBytes / MockBytesPerPartition));
        var embedded = EmbeddedKafkaCluster.Start(brokers: 1, partitions, Topics.All);
        return new BenchmarkKafka(embedded.BootstrapServers, embedded) { Partitions = partitions };
    }

    /// <summary>
    /// Where each partition of the topics ends now: readers start here, so that on a real cluster only this run's
    /// records are counted.
    /// </summary>
    public IReadOnlyList<TopicPartitionOffset> EndOffsets(params string[] topics)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = $"benchmark-offsets-{Guid.NewGuid():N}",
        }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var ends = new List<TopicPartitionOffset>();
        foreach (var topic in topics)
        {
            var metadata = admin.GetMetadata(topic, Timeout).Topics.Single();
            if (metadata.Error.IsError)
            {
                throw new InvalidOperationException($"Topic {topic}: {metadata.Error.Reason}. Create every topic of the pipeline first.");
            }

            foreach (var partition in metadata.Partitions)
            {
                var topicPartition = new TopicPartition(topic, partition.PartitionId);
                ends.Add(new TopicPartitionOffset(topicPartition, consumer.QueryWatermarkOffsets(topicPartition, Timeout).High));
            }
        }

        return ends;
    }

    public void Dispose() => _embedded?.Dispose();
}
