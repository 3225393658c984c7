using Confluent.Kafka;

namespace FoodOrdering.Tests.Support;

/// <summary>What a consumer group has committed on a topic, against how far the topic goes.</summary>
internal static class ConsumerGroupOffsets
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Partition → (committed offset or -1, high watermark).</summary>
    public static Dictionary<int, (long Committed, long End)> Read(string bootstrapServers, string groupId, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, Timeout).Topics.Single().Partitions
            .Select(partition => new TopicPartition(topic, partition.PartitionId))
            .ToList();
        return consumer.Committed(partitions, Timeout).ToDictionary(
            committed => committed.Partition.Value,
            committed => (committed.Offset.Value, consumer.QueryWatermarkOffsets(committed.TopicPartition, Timeout).High.Value));
    }

    public static bool CaughtUp(string bootstrapServers, string groupId, string topic) =>
        Read(bootstrapServers, groupId, topic).Values.All(partition => partition.Committed == partition.End || partition is { End: 0, Committed: < 0 });
}
