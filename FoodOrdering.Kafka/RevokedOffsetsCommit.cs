using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

/// <summary>
/// Commits the stored offsets before partitions move to another member of the group. The auto-commit timer may not
/// have run since the last records were done, and librdkafka's own commit on revocation is tried once: it is refused
/// with REBALANCE_IN_PROGRESS whenever another member has not yet synced the new generation, which is usual at the
/// moment of revocation. Either way the new owner would start from an older offset and repeat every record done since.
/// </summary>
internal static partial class RevokedOffsetsCommit
{
    // The other members sync as soon as they have their JoinGroup answer; this bounds how long a revocation waits for them.
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs inside the consumer's rebalance callback, on the thread that called Consume: no record is being worked on.</summary>
    public static void Commit<TKey, TValue>(IConsumer<TKey, TValue> consumer, IReadOnlyCollection<TopicPartitionOffset> revoked, ILogger logger)
    {
        if (revoked.Count == 0)
        {
            return;
        }

        var deadline = DateTime.UtcNow + RetryFor;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Every stored offset of the current assignment, the revoked partitions' among them.
                consumer.Commit();
                return;
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
            {
                return;
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.RebalanceInProgress && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(RetryDelay);
            }
            catch (KafkaException e) when (!e.Error.IsFatal)
            {
                LogNotCommitted(logger, revoked.Count, attempt, e.Error.Reason);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "The offsets of {Count} partitions moving to another consumer were not committed after {Attempts} attempts ({Reason}); their new owner repeats the records done since the last commit")]
    private static partial void LogNotCommitted(ILogger logger, int count, int attempts, string reason);
}
