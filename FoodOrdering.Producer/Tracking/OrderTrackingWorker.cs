using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Tracking;

/// <summary>
/// Reads every partition of the outcome topics — confirmations, rejections, sent and failed emails — into the
/// <see cref="OrderTrackingBoard"/>. Each Producer instance reads all of them itself (assigned, in no consumer group,
/// committing nothing), so whichever replica a customer's request reaches knows the order. It starts far enough back
/// to fill the board, so a replica that just started knows recent orders too; and it keeps looking for outcome
/// partitions (<see cref="OutcomePartitions"/>), so it tracks orders whether the topics were there before it or not.
/// </summary>
internal sealed partial class OrderTrackingWorker(
    [FromKeyedServices(OrderTrackingWorker.ConsumerName)] IConsumer<string, byte[]> consumer,
    OrderTrackingBoard board,
    IOptions<OrderTrackingOptions> options,
    ILogger<OrderTrackingWorker> logger) : BackgroundService
{
    public const string ConsumerName = "order-tracking";

    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(250);

    // A confirmation of the largest order the pipeline accepts is a few kilobytes; anything much larger on these
    // topics is not one of ours and would only fill the board's memory.
    private const int MaxRecordBytes = 16 * 1024;

    private readonly OutcomePartitions _partitions = new();

    // Consume() blocks its thread, so the loop must not run on the host's start path.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => Run(stoppingToken), CancellationToken.None);

    private void Run(CancellationToken stoppingToken)
    {
        try
        {
            var nextDiscovery = DateTimeOffset.MinValue;
            while (!stoppingToken.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow >= nextDiscovery)
                {
                    AssignNewPartitions();
                    nextDiscovery = DateTimeOffset.UtcNow + options.Value.PartitionDiscoveryInterval;
                }

                try
                {
                    if (consumer.Consume(PollTimeout) is { Message: not null } record)
                    {
                        Apply(record);
                    }
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    LogConsumeFailed(logger, e.Error.Reason);
                }
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>
    /// Adds the outcome partitions that appeared since the last look (all of them the first time), each from its last
    /// <see cref="OrderTrackingOptions.MaxOrders"/> records: as much as the board can hold, found by offsets, which
    /// every broker answers alike. A broker that does not answer is asked again at the next look.
    /// </summary>
    private void AssignNewPartitions()
    {
        try
        {
            using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            var added = _partitions.Added(admin.GetMetadata(MetadataTimeout));
            if (added.Count == 0)
            {
                if (_partitions.Count == 0)
                {
                    LogNoTopicsYet(logger, options.Value.PartitionDiscoveryInterval.TotalSeconds);
                }

                return;
            }

            consumer.IncrementalAssign(added.Select(partition =>
            {
                var offsets = consumer.QueryWatermarkOffsets(partition, MetadataTimeout);
                return new TopicPartitionOffset(partition, Math.Max(offsets.Low.Value, offsets.High.Value - options.Value.MaxOrders));
            }));
            LogPartitionsAdded(logger, added.Count, _partitions.Count);
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            LogStartFailed(logger, e.Error.Reason);
        }
    }

    private void Apply(ConsumeResult<string, byte[]> record)
    {
        if (record.Message.Value is { Length: > MaxRecordBytes })
        {
            LogUnreadable(logger, record.Topic, record.Partition.Value, record.Offset.Value, $"{record.Message.Value.Length} bytes, more than an outcome takes");
            return;
        }

        try
        {
            switch (record.Topic)
            {
                case Topics.OrdersConfirmed:
                    board.Confirmed(Read(record, ContractsJsonContext.Default.OrderConfirmed));
                    break;
                case Topics.OrdersRejected:
                    board.Rejected(Read(record, ContractsJsonContext.Default.OrderRejected));
                    break;
                case Topics.EmailsSent:
                    board.EmailSent(Read(record, ContractsJsonContext.Default.EmailSent));
                    break;
                case Topics.EmailsFailed:
                    board.EmailFailed(Read(record, ContractsJsonContext.Default.EmailFailed));
                    break;
            }
        }
        catch (JsonException e)
        {
            // Not ours to dead-letter: the consumer of that topic does. Tracking just goes without it.
            LogUnreadable(logger, record.Topic, record.Partition.Value, record.Offset.Value, e.Message);
        }
    }

    private static T Read<T>(ConsumeResult<string, byte[]> record, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        (record.Message.Value is { Length: > 0 } value ? JsonSerializer.Deserialize(value, typeInfo) : default)
        ?? throw new JsonException("The message is empty or JSON null.");

    [LoggerMessage(EventId = 6200, Level = LogLevel.Warning, Message = "Order tracking could not read the outcome topics ({Reason}); it shows what it has")]
    private static partial void LogConsumeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Order tracking could not list the outcome partitions or where to start reading them ({Reason}); asking again")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Debug, Message = "Order tracking skipped an unreadable record {Topic} [{Partition}] @{Offset}: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string topic, int partition, long offset, string error);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "Order tracking reads {Added} more outcome partitions ({Total} in all)")]
    private static partial void LogPartitionsAdded(ILogger logger, int added, int total);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Warning, Message = "Order tracking finds no outcome topic yet; it looks again every {Seconds} s and tracks orders once they exist")]
    private static partial void LogNoTopicsYet(ILogger logger, double seconds);
}
