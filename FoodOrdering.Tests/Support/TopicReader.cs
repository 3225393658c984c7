using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;

namespace FoodOrdering.Tests.Support;

/// <summary>Reads everything a topic holds right now, as a read_committed consumer outside any group.</summary>
internal static class TopicReader
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static IReadOnlyList<ConsumeResult<string, byte[]>> ReadAll(string bootstrapServers, string topic)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"test-reader-{Guid.NewGuid():N}",
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, Timeout).Topics.Single().Partitions
            .Select(partition => new TopicPartition(topic, partition.PartitionId))
            .ToList();
        var remaining = partitions
            .Select(partition => (partition, end: consumer.QueryWatermarkOffsets(partition, Timeout).High))
            .Where(entry => entry.end > 0)
            .ToDictionary(entry => entry.partition, entry => entry.end.Value);
        consumer.Assign(partitions.Select(partition => new TopicPartitionOffset(partition, Offset.Beginning)));

        var records = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + Timeout;
        while (remaining.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Reading {topic} took longer than {Timeout}");
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } record)
            {
                continue;
            }

            records.Add(record);
            if (record.Offset.Value + 1 >= remaining.GetValueOrDefault(record.TopicPartition, long.MaxValue))
            {
                remaining.Remove(record.TopicPartition);
            }
        }

        return records;
    }

    public static IReadOnlyList<T> ReadAll<T>(string bootstrapServers, string topic, JsonTypeInfo<T> typeInfo) =>
        [.. ReadAll(bootstrapServers, topic).Select(record => JsonSerializer.Deserialize(record.Message.Value, typeInfo)!)];
}
