using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;

namespace FoodOrdering.Tests.Support;

/// <summary>Reads everything a topic holds right now, as a read_committed consumer outside any group.</summary>
internal static class TopicReader
{
    private static readonly TimeSpan Timeout = TestTimeouts.Call;

    public static IReadOnlyList<ConsumeResult<string, byte[]>> ReadAll(string bootstrapServers, string topic)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"test-reader-{Guid.NewGuid():N}",
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        };
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, Timeout).Topics.Single().Partitions
            .Select(partition => new TopicPartition(topic, partition.PartitionId))
            .ToList();
        foreach (var partition in partitions)
        {
            // The embedded broker keeps 5 MiB per partition and drops the oldest records beyond: a read that cannot
            // see everything must say so rather than report records as missing.
            var low = consumer.QueryWatermarkOffsets(partition, Timeout).Low;
            Assert.True(low.Value <= 0, $"{topic} [{partition.Partition.Value}] now starts at offset {low.Value}: the broker dropped older records, so reading it cannot tell what was written");
        }

        var remaining = partitions.ToHashSet();
        consumer.Assign(partitions.Select(partition => new TopicPartitionOffset(partition, Offset.Beginning)));

        // Transaction markers take offsets too, so "done" is the end-of-partition event, not a record's offset.
        var records = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + Timeout;
        while (remaining.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Reading {topic} took longer than {Timeout}");
            switch (consumer.Consume(TimeSpan.FromMilliseconds(200)))
            {
                case { IsPartitionEOF: true } end:
                    remaining.Remove(end.TopicPartition);
                    break;
                case { } record:
                    records.Add(record);
                    break;
            }
        }

        return records;
    }

    public static IReadOnlyList<T> ReadAll<T>(string bootstrapServers, string topic, JsonTypeInfo<T> typeInfo) =>
        [.. ReadAll(bootstrapServers, topic).Select(record => JsonSerializer.Deserialize(record.Message.Value, typeInfo)!)];
}
