using Confluent.Kafka;

namespace FoodOrdering.Tests.Support;

/// <summary>What a consumer group has committed on a topic, against how far the topic goes.</summary>
internal static class ConsumerGroupOffsets
{
    private static readonly TimeSpan Timeout = TestTimeouts.Call;

    /// <summary>Partition → (committed offset or -1, high watermark).</summary>
    private static Dictionary<int, (long Committed, long End)> Read(string bootstrapServers, string groupId, string topic)
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

    /// <summary>Partition → the group's committed offset (-1 when none) and the partition's end, now.</summary>
    public static Dictionary<int, (long Committed, long End)> Now(string bootstrapServers, string groupId, string topic) => Read(bootstrapServers, groupId, topic);

    /// <summary>
    /// Waits until the group has committed to the end of every partition of the topic; on timeout the failure shows
    /// each partition's committed offset against its end, and <paramref name="context"/> (the services' logs, say).
    /// </summary>
    public static Task WaitUntilCaughtUpAsync(string bootstrapServers, string groupId, string topic, TimeSpan timeout, Func<string>? context = null) =>
        Eventually.WaitUntilAsync(
            () => Read(bootstrapServers, groupId, topic).Values.All(partition => partition.Committed == partition.End || partition is { End: 0, Committed: < 0 }),
            timeout,
            () => $"consumer group {groupId} has not committed to the end of {topic}: {Describe(bootstrapServers, groupId, topic)}"
                + (context is null ? "" : Environment.NewLine + context()));

    /// <summary>
    /// Waits until the group has committed, on every partition of the topic, to within <paramref name="maxLag"/>
    /// records of its end: its commits are landing, as they do not while the group rebalances.
    /// </summary>
    public static Task WaitUntilWithinAsync(string bootstrapServers, string groupId, string topic, long maxLag, TimeSpan timeout) =>
        Eventually.WaitUntilAsync(
            () => Read(bootstrapServers, groupId, topic).Values.All(partition => partition.Committed >= 0 && partition.End - partition.Committed <= maxLag),
            timeout,
            () => $"consumer group {groupId} is not committing within {maxLag} records of the end of {topic}: {Describe(bootstrapServers, groupId, topic)}");

    /// <summary>
    /// Waits until the group has committed past every one of <paramref name="records"/> (all of one topic): on a topic
    /// written in transactions the last offset is a commit marker, which a group that has consumed everything may never
    /// commit past, so "caught up" cannot be told from the end.
    /// </summary>
    public static Task WaitUntilPastAsync(string bootstrapServers, string groupId, IReadOnlyList<ConsumeResult<string, byte[]>> records, TimeSpan timeout)
    {
        var topic = records.Select(record => record.Topic).Distinct().Single();
        var next = records.GroupBy(record => record.Partition.Value).ToDictionary(partition => partition.Key, partition => partition.Max(record => record.Offset.Value) + 1);
        return Eventually.WaitUntilAsync(
            () => Read(bootstrapServers, groupId, topic).All(pair => !next.TryGetValue(pair.Key, out var offset) || pair.Value.Committed >= offset),
            timeout,
            () => $"consumer group {groupId} has not committed past the records of {topic}: {Describe(bootstrapServers, groupId, topic)}");
    }

    private static string Describe(string bootstrapServers, string groupId, string topic) =>
        string.Join(", ", Read(bootstrapServers, groupId, topic).OrderBy(pair => pair.Key)
            .Select(pair => $"partition {pair.Key} committed {pair.Value.Committed} of {pair.Value.End}"));
}
