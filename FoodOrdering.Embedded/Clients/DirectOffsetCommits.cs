using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Embedded.Clients;

/// <summary>
/// The offsets of one worker's committed transactions, committed again through its consumer: librdkafka's mock
/// broker acknowledges offsets sent to a transaction without storing them, so without this every restart and
/// rebalance would start from the beginning. Those not yet committed are pending: a rewind and the order id ledger
/// read them as the committed position. Used on the worker's thread only, as its consumer is.
/// </summary>
internal sealed partial class DirectOffsetCommits(IConsumer<string, byte[]> consumer, ILogger logger)
{
    private static readonly TimeSpan RevokedRetryFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RevokedRetryDelay = TimeSpan.FromMilliseconds(50);

    // A rebalance refuses commits a few times over (in progress, then the old generation's); more is no rebalance.
    private const int RefusalsWhileRebalancingExpected = 5;

    private readonly Dictionary<TopicPartition, Offset> _pending = [];
    private int _refusedWhileRebalancing;

    /// <summary>A transaction carrying <paramref name="offsets"/> committed: they are committed through the consumer too.</summary>
    public void Committed(IEnumerable<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
        {
            _pending[offset.TopicPartition] = offset.Offset;
        }

        TryCommit();
    }

    /// <summary>Commits what is pending; a failure leaves it pending for the next try.</summary>
    public void TryCommit()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit([.. _pending.Select(pair => new TopicPartitionOffset(pair.Key, pair.Value))]);
            _pending.Clear();
            _refusedWhileRebalancing = 0;
        }
        catch (KafkaException e) when (IsRebalancing(e.Error.Code) && ++_refusedWhileRebalancing <= RefusalsWhileRebalancingExpected)
        {
            // The usual answers while the group rebalances, as at every start of a second worker: a pass after the
            // rebalance lands it. Only one that keeps being refused is a warning.
            LogCommitDeferred(logger, e.Error.Reason);
        }
        catch (KafkaException e)
        {
            // The transaction is committed; until this lands a restart would price these orders again.
            LogCommitFailed(logger, e.Error.Reason);
        }
    }

    /// <summary>
    /// Before partitions move to another member: theirs are committed now or never, from inside the rebalance
    /// callback, where the member still owns them; committed later, they could move the new owner's position back.
    /// </summary>
    public void Revoked(IConsumer<string, byte[]> client, List<TopicPartitionOffset> partitions)
    {
        var moving = partitions.Select(partition => partition.TopicPartition).Where(_pending.ContainsKey).ToList();
        if (moving.Count == 0)
        {
            return;
        }

        var deadline = DateTime.UtcNow + RevokedRetryFor;
        while (true)
        {
            try
            {
                client.Commit([.. moving.Select(partition => new TopicPartitionOffset(partition, _pending[partition]))]);
                break;
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.RebalanceInProgress && DateTime.UtcNow < deadline)
            {
                // Usual at the moment of revocation, until the other members sync the new generation (as RevokedOffsetsCommit).
                Thread.Sleep(RevokedRetryDelay);
            }
            catch (KafkaException e)
            {
                LogCommitFailed(logger, e.Error.Reason);
                break;
            }
        }

        moving.ForEach(partition => _pending.Remove(partition));
    }

    private static bool IsRebalancing(ErrorCode code) =>
        code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId;

    /// <summary>Partitions lost: another member may own them already, so nothing of theirs is committed.</summary>
    public void Lost(List<TopicPartitionOffset> partitions) => partitions.ForEach(partition => _pending.Remove(partition.TopicPartition));

    /// <summary>The committed position as far as this worker knows it: a pending offset is ahead of what the broker reports.</summary>
    public TopicPartitionOffset Ahead(TopicPartitionOffset committed) =>
        _pending.TryGetValue(committed.TopicPartition, out var pending) && (committed.Offset.IsSpecial || pending.Value > committed.Offset.Value)
            ? new TopicPartitionOffset(committed.TopicPartition, pending)
            : committed;

    [LoggerMessage(EventId = 8100, Level = LogLevel.Warning, Message = "Committing offsets outside the transaction failed ({Reason}); retrying on the next pass")]
    private static partial void LogCommitFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Committing offsets outside the transaction failed while the group rebalances ({Reason}); retrying on the next pass")]
    private static partial void LogCommitDeferred(ILogger logger, string reason);
}
