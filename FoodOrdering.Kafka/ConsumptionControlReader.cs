using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

/// <summary>
/// Follows <see cref="Topics.ConsumptionControl"/> into <see cref="ConsumptionStates"/>: assigned every partition, in
/// no group, from the beginning at every start, so each instance of each service knows every group's current state.
/// </summary>
internal sealed partial class ConsumptionControlReader(ConsumerConfig config, ConsumptionStates states, ILogger<ConsumptionControlReader> logger) : BackgroundService
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    // Consume() blocks its thread, so the loop must not run on the host's start path.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => Run(stoppingToken), CancellationToken.None);

    private void Run(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]?>(config).Build();
        AssignedReader.Run(consumer, () => StartPositions(consumer), Apply, reason => LogStartFailed(logger, reason), reason => LogConsumeFailed(logger, reason), stoppingToken);
    }

    // An admin client on the consumer's own handle: one built from the consumer's settings is a client of its own,
    // which warns on standard error of every consumer-only setting it ignores.
    private static List<TopicPartitionOffset> StartPositions(IConsumer<string?, byte[]?> consumer)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var topic = admin.GetMetadata(Topics.ConsumptionControl, MetadataTimeout).Topics.Single();
        if (topic.Error.Code != ErrorCode.NoError || topic.Partitions.Count == 0)
        {
            throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, $"{Topics.ConsumptionControl} does not exist yet"));
        }

        return [.. topic.Partitions.Select(partition => new TopicPartitionOffset(Topics.ConsumptionControl, partition.PartitionId, Offset.Beginning))];
    }

    private void Apply(ConsumeResult<string?, byte[]?> record)
    {
        try
        {
            if (record.Message.Value is { } value && JsonSerializer.Deserialize(value, ContractsJsonContext.Default.ConsumptionCommand) is { } command
                && command.ConsumerGroup == record.Message.Key)
            {
                states.Apply(command);
                LogApplied(logger, command.ConsumerGroup, command.Paused, command.At);
                return;
            }
        }
        catch (JsonException)
        {
        }

        // Not a command this code wrote: ignored, so one bad record neither stops the reader nor changes a group.
        LogUnreadable(logger, record.Partition.Value, record.Offset.Value);
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Consumer group {ConsumerGroup}: paused {Paused}, by an operator at {At}")]
    private static partial void LogApplied(ILogger logger, string consumerGroup, bool paused, DateTimeOffset at);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Could not read the consumption controls ({Reason}); asking again")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Reading the consumption controls failed ({Reason})")]
    private static partial void LogConsumeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Skipped an unreadable consumption control [{Partition}] @{Offset}")]
    private static partial void LogUnreadable(ILogger logger, int partition, long offset);
}
