using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Emails;

/// <summary>
/// Before the consumer starts, reads back which orders were emailed (<see cref="Topics.EmailsSent"/>) or failed for
/// good (<see cref="Topics.EmailsFailed"/>) into <see cref="RecentlySentOrders"/>: the last
/// <see cref="EmailOptions.RememberedOrders"/> records of each partition, so a confirmation delivered again after a
/// restart — redelivered, or written to the topic again — is a duplicate too. Only an email sent but not yet
/// announced when the service died is sent again. Should Kafka not answer in time, the service starts without them
/// and says so.
/// </summary>
internal sealed partial class RecentlySentOrdersRecovery(
    [FromKeyedServices(RecentlySentOrdersRecovery.ConsumerName)] IConsumer<string, byte[]> consumer,
    RecentlySentOrders sent,
    IOptions<EmailOptions> options,
    ILogger<RecentlySentOrdersRecovery> logger) : IHostedService
{
    public const string ConsumerName = "emails-sent-recovery";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Consume() blocks, so the read runs off the host's start path, which still waits for it.
    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(() => Recover(cancellationToken), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Recover(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        var (emailed, failed) = (0, 0);
        try
        {
            using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            var partitions = admin.GetMetadata(Timeout).Topics
                .Where(topic => topic.Topic is Topics.EmailsSent or Topics.EmailsFailed && topic.Error.Code == ErrorCode.NoError)
                .SelectMany(topic => topic.Partitions.Select(partition => new TopicPartition(topic.Topic, partition.PartitionId)))
                .Select(partition => (Partition: partition, Offsets: consumer.QueryWatermarkOffsets(partition, Timeout)))
                .Where(partition => partition.Offsets.High.Value > partition.Offsets.Low.Value)
                .ToList();
            consumer.Assign(partitions.Select(partition => new TopicPartitionOffset(partition.Partition,
                Math.Max(partition.Offsets.Low.Value, partition.Offsets.High.Value - options.Value.RememberedOrders))));
            var open = partitions.Count;
            while (open > 0)
            {
                var remaining = deadline - DateTimeOffset.UtcNow;
                cancellationToken.ThrowIfCancellationRequested();
                var record = consumer.Consume(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero)
                    ?? throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"Reading back the sent orders took longer than {Timeout}."));
                if (record.IsPartitionEOF)
                {
                    open--;
                }
                else if (OrderIdOf(record) is { } orderId)
                {
                    var wasEmailed = record.Topic == Topics.EmailsSent;
                    sent.Add(orderId, wasEmailed);
                    if (wasEmailed)
                    {
                        emailed++;
                    }
                    else
                    {
                        failed++;
                    }
                }
            }

            LogRecovered(logger, emailed, failed);
        }
        catch (KafkaException e)
        {
            LogRecoveryFailed(logger, e, emailed + failed, e.Error.Reason);
        }
        finally
        {
            consumer.Close();
        }
    }

    private static Guid? OrderIdOf(ConsumeResult<string, byte[]> record)
    {
        try
        {
            return record.Topic == Topics.EmailsSent
                ? JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.EmailSent)?.OrderId
                : JsonSerializer.Deserialize(record.Message.Value, ContractsJsonContext.Default.EmailFailed)?.OrderId;
        }
        catch (JsonException)
        {
            // Not a record Emails wrote: it tells nothing about an order.
            return null;
        }
    }

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Read back {Emailed} emailed and {Failed} failed orders; their confirmations are not sent again")]
    private static partial void LogRecovered(ILogger logger, int emailed, int failed);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Reading back the orders already emailed failed after {Count} ({Reason}); a confirmation delivered again may be emailed a second time")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception, int count, string reason);
}
