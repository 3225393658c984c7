using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FoodOrdering.Operations.Log;

namespace FoodOrdering.Operations.Catalog;

/// <summary>The topics as the tail counts them, with their ends and retention from the cluster.</summary>
internal sealed class TopicCatalog(ConsoleKafka kafka, TopicTail tail, TimeProvider time)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (long? Ms, long? Bytes)> _retention = new();

    public bool Exists(string topic) => tail.Topics.ContainsKey(topic);

    public async Task<IReadOnlyList<TopicSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var topics = tail.Topics.Values.OrderBy(topic => topic.Name, StringComparer.Ordinal).ToList();
        await LoadRetentionAsync(topics.Select(topic => topic.Name).Where(name => !_retention.ContainsKey(name)).ToList());
        return await Task.Run(() =>
        {
            using var reader = kafka.CreateReader("ends");
            return topics.Select(topic => Summary(topic, reader)).ToList();
        }, cancellationToken);
    }

    public async Task<TopicDetail> DetailAsync(string name, CancellationToken cancellationToken)
    {
        var topic = tail.Topics[name];
        await LoadRetentionAsync(_retention.ContainsKey(name) ? [] : [name]);
        return await Task.Run(() =>
        {
            using var reader = kafka.CreateReader("ends");
            var partitions = topic.Partitions.OrderBy(p => p.Key).Select(p =>
            {
                var watermarks = reader.QueryWatermarkOffsets(new TopicPartition(name, p.Key), Timeout);
                return new PartitionSummary(p.Key, watermarks.Low.Value, watermarks.High.Value, p.Value.Count);
            }).ToList();
            return new TopicDetail(Summary(topic, reader), partitions);
        }, cancellationToken);
    }

    private TopicSummary Summary(TopicRecords topic, IConsumer<byte[]?, byte[]?> reader)
    {
        var settled = topic.Partitions.All(p => p.Value.ReadTo >= reader.QueryWatermarkOffsets(new TopicPartition(topic.Name, p.Key), Timeout).High.Value);
        var retention = _retention.GetValueOrDefault(topic.Name);
        return new TopicSummary(topic.Name, topic.Partitions.Count, topic.Count, Math.Round(topic.Rate.PerSecond(time.GetUtcNow()), 2), retention.Ms, retention.Bytes, settled);
    }

    // A cluster that does not answer DescribeConfigs (the embedded broker, or missing rights) leaves retention unknown.
    private async Task LoadRetentionAsync(IReadOnlyList<string> topics)
    {
        if (topics.Count == 0)
        {
            return;
        }

        var admin = kafka.Admin;
        try
        {
            var described = await ConsoleKafka.Answered(admin.DescribeConfigsAsync(
                topics.Select(topic => new ConfigResource { Type = ResourceType.Topic, Name = topic }),
                new DescribeConfigsOptions { RequestTimeout = Timeout }));
            foreach (var result in described)
            {
                _retention[result.ConfigResource.Name] = (Number(result, "retention.ms"), Number(result, "retention.bytes"));
            }
        }
        catch (KafkaException)
        {
            foreach (var topic in topics)
            {
                _retention[topic] = (null, null);
            }
        }
    }

    private static long? Number(DescribeConfigsResult result, string name) =>
        result.Entries.TryGetValue(name, out var entry) && long.TryParse(entry.Value, out var value) ? value : null;
}
