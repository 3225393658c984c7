using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operations.Analytics;

/// <summary>
/// Feeds <see cref="LiveAnalytics"/> from every partition of <c>orders.analytics</c> and the outcome topics. It is
/// assigned its partitions and commits nothing: at every start it reads again from the oldest minute the figures
/// hold (by record time), so a restart rebuilds them from what the log still has, and it never disturbs a group.
/// </summary>
internal sealed partial class AnalyticsReader(ConsoleKafka kafka, LiveAnalytics analytics, IOptions<OperationsOptions> options, ILogger<AnalyticsReader> logger)
    : BackgroundService
{
    private static readonly string[] FedBy = [Topics.OrdersAnalytics, Topics.OrdersRejected, Topics.EmailsSent, Topics.EmailsFailed];
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    // The largest record on these topics is an order line or an outcome, well under this; anything larger is not ours.
    private const int MaxRecordBytes = 16 * 1024;

    // Consume() blocks its thread, so the loop must not run on the host's start path.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => Run(stoppingToken), CancellationToken.None);

    private void Run(CancellationToken stoppingToken)
    {
        using var consumer = kafka.CreateReader("analytics");
        AssignedReader.Run(consumer, () => StartPositions(consumer), Apply,
            reason => LogStartFailed(logger, reason), reason => LogConsumeFailed(logger, reason), stoppingToken);
    }

    /// <summary>
    /// Every partition of the topics, from its first record of the oldest minute the figures hold; from the log's
    /// start where the broker cannot look that up (older records are then left out by their own times).
    /// </summary>
    private List<TopicPartitionOffset> StartPositions(IConsumer<byte[]?, byte[]?> consumer)
    {
        var topics = kafka.Admin.GetMetadata(MetadataTimeout).Topics
            .Where(topic => FedBy.Contains(topic.Topic) && topic.Error.Code == ErrorCode.NoError && topic.Partitions.Count > 0)
            .ToList();
        if (topics.Count < FedBy.Length)
        {
            throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart,
                $"not every topic exists yet: {string.Join(", ", FedBy.Except(topics.Select(topic => topic.Topic)))}"));
        }

        var partitions = topics.SelectMany(topic => topic.Partitions.Select(partition => new TopicPartition(topic.Topic, partition.PartitionId))).ToList();
        return options.Value.FindTimesByReading
            ? [.. partitions.Select(partition => new TopicPartitionOffset(partition, Offset.Beginning))]
            : FromTime(consumer, partitions, analytics.HeldSince);
    }

    private List<TopicPartitionOffset> FromTime(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions, DateTimeOffset since)
    {
        try
        {
            // "No record since then" must mean the end as it was before the lookup: resolved later, the end would
            // pass over records written in between.
            var ends = partitions.ToDictionary(partition => partition, partition => consumer.QueryWatermarkOffsets(partition, MetadataTimeout).High);
            var timestamp = new Timestamp(since);
            return [.. consumer.OffsetsForTimes([.. partitions.Select(partition => new TopicPartitionTimestamp(partition, timestamp))], MetadataTimeout)
                .Select(found => found.Offset.IsSpecial ? new TopicPartitionOffset(found.TopicPartition, ends[found.TopicPartition]) : found)];
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            LogNoOffsetsByTime(logger, e.Error.Reason);
            return [.. partitions.Select(partition => new TopicPartitionOffset(partition, Offset.Beginning))];
        }
    }

    private void Apply(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (record.Message.Value is not { Length: > 0 and <= MaxRecordBytes } value)
        {
            LogUnreadable(logger, record.Topic, record.Partition.Value, record.Offset.Value, $"{record.Message.Value?.Length ?? 0} bytes");
            return;
        }

        try
        {
            switch (record.Topic)
            {
                case Topics.OrdersAnalytics:
                    analytics.Add(Checked(Read(value, ContractsJsonContext.Default.OrderLineSold)));
                    break;
                case Topics.OrdersRejected:
                    analytics.Add(Checked(Read(value, ContractsJsonContext.Default.OrderRejected)));
                    break;
                case Topics.EmailsSent:
                    analytics.Add(Read(value, ContractsJsonContext.Default.EmailSent));
                    break;
                case Topics.EmailsFailed:
                    analytics.Add(Read(value, ContractsJsonContext.Default.EmailFailed));
                    break;
            }
        }
        catch (JsonException e)
        {
            // Not ours to dead-letter: the topic's own consumer does. The figures go without it.
            LogUnreadable(logger, record.Topic, record.Partition.Value, record.Offset.Value, e.Message);
        }
    }

    // JSON that parses may still lack what the figures are keyed by.
    private static OrderLineSold Checked(OrderLineSold line) =>
        line is { LineNumber: > 0, Quantity: > 0, Revenue: >= 0, MenuItemId.Length: > 0, Item.Length: > 0, Category.Length: > 0 }
            ? line
            : throw new JsonException("The order line lacks its number, item, category, a positive quantity or a revenue of at least zero.");

    private static OrderRejected Checked(OrderRejected rejected) =>
        rejected.Reason is { Length: > 0 } ? rejected : throw new JsonException("The rejection has no reason.");

    private static T Read<T>(byte[] value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(value, typeInfo) ?? throw new JsonException("The message is JSON null.");

    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Live analytics could not read their topics ({Reason}); they show what they have")]
    private static partial void LogConsumeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Live analytics could not find where to start reading ({Reason}); retrying")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Live analytics read from the start of the log: the broker found no offsets by time ({Reason})")]
    private static partial void LogNoOffsetsByTime(ILogger logger, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "Live analytics skipped an unreadable record {Topic} [{Partition}] @{Offset}: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string topic, int partition, long offset, string error);
}
