using System.Globalization;
using System.Text;
using Confluent.Kafka;
using FoodOrdering.AppHost.Containers;
using FoodOrdering.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.AppHost;

/// <summary>
/// A dashboard command on the <c>kafka</c> resource: every topic with its partitions and end offsets, and how far
/// behind each of the pipeline's consumer groups is — what <c>kafka-consumer-groups --describe</c> tells, without a
/// Kafka CLI or containers.
/// </summary>
internal static class KafkaTopicsCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static IResourceBuilder<T> WithTopicsCommand<T>(this IResourceBuilder<T> kafka) where T : IResourceWithConnectionString =>
        kafka.WithCommand("kafka-topics", "Topics and offsets", async context =>
        {
            var bootstrapServers = await kafka.Resource.GetConnectionStringAsync(context.CancellationToken)
                ?? throw new InvalidOperationException($"{kafka.Resource.Name} has no connection string yet.");
            var logger = context.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KafkaTopicsCommand).FullName!);
            var report = await Task.Run(() => Describe(bootstrapServers, logger), context.CancellationToken);
            return CommandResults.Success("Topics, end offsets and committed offsets", report, CommandResultFormat.Markdown, displayImmediately: true);
        }, new CommandOptions
        {
            Description = "List the topics with their partitions and end offsets, and each consumer group's committed offsets; the console counts records and lag",
            IconName = "Table",
            UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });

    /// <summary>The report as Markdown: one table of topics, one of consumer groups.</summary>
    internal static string Describe(string bootstrapServers, ILogger logger)
    {
        using var admin = KafkaAdminClients.Create(bootstrapServers, logger);
        var partitions = admin.GetMetadata(Timeout).Topics
            .Where(topic => !topic.Topic.StartsWith("__", StringComparison.Ordinal) && topic.Error.Code == ErrorCode.NoError)
            .OrderBy(topic => topic.Topic, StringComparer.Ordinal)
            .SelectMany(topic => topic.Partitions.OrderBy(p => p.PartitionId).Select(p => new TopicPartition(topic.Topic, p.PartitionId)))
            .ToList();

        var ends = new Dictionary<TopicPartition, long>();
        using (var reader = Consumer(bootstrapServers, "kafka-topics-command", logger))
        {
            foreach (var partition in partitions)
            {
                ends[partition] = reader.QueryWatermarkOffsets(partition, Timeout).High.Value;
            }
        }

        var text = new StringBuilder();
        text.AppendLine("| topic | partitions | end offsets | offsets in all |").AppendLine("| --- | ---: | --- | ---: |");
        foreach (var topic in partitions.GroupBy(partition => partition.Topic))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {topic.Key} | {topic.Count()} | {string.Join(" · ", topic.Select(p => ends[p]))} | {topic.Sum(p => ends[p])} |");
        }

        text.AppendLine().AppendLine("| consumer group | topic | committed | offsets behind |").AppendLine("| --- | --- | --- | ---: |");
        foreach (var group in ConsumerGroups.All)
        {
            using var member = Consumer(bootstrapServers, group, logger);
            var committed = member.Committed(partitions, Timeout).Where(offset => !offset.Offset.IsSpecial).ToList();
            foreach (var topic in committed.GroupBy(offset => offset.Topic))
            {
                var lag = partitions.Where(p => p.Topic == topic.Key)
                    .Sum(p => ends[p] - (topic.FirstOrDefault(offset => offset.Partition == p.Partition)?.Offset.Value ?? 0));
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {group} | {topic.Key} | {string.Join(" · ", topic.OrderBy(offset => offset.Partition.Value).Select(offset => offset.Offset.Value))} | {lag} |");
            }
        }

        text.AppendLine().AppendLine(
            "Offsets count each transaction's commit marker as well as the records, so a topic written in transactions has " +
            "more offsets than records and a group that has read everything stays a few offsets behind. The `console` " +
            "resource counts records and lag as a `read_committed` reader does.");
        return text.ToString();
    }

    // Only reads committed offsets and watermarks: it never subscribes, so it never joins (or disturbs) the group.
    private static IConsumer<byte[], byte[]> Consumer(string bootstrapServers, string groupId, ILogger logger) =>
        new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = groupId, EnableAutoCommit = false })
            .SetLogHandler(KafkaAdminClients.LogTo(logger))
            .Build();
}
