using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions;

/// <summary>
/// For <see cref="OrderProcessingOptions.CommitOffsetsAfterTransaction"/> only (librdkafka's mock broker, which does
/// not store offsets committed inside a transaction): offsets of committed transactions still to be committed
/// through the consumer. One per worker, for that worker's consumer and partitions; used on the worker's thread
/// only (rebalance callbacks run inside its Consume calls).
/// </summary>
internal sealed class DirectOffsetCommits(IOptions<OrderProcessingOptions> options, ILogger<DirectOffsetCommits> logger)
{
    private readonly Dictionary<TopicPartition, Offset> _pending = [];

    public void Add(IEnumerable<TopicPartitionOffset> offsets)
    {
        if (!options.Value.CommitOffsetsAfterTransaction)
        {
            return;
        }

        foreach (var offset in offsets)
        {
            _pending[offset.TopicPartition] = offset.Offset;
        }
    }

    /// <summary>Commits what is pending; a failure is retried on the worker's next pass, even an idle one.</summary>
    public void TryCommit(IConsumer<string, byte[]> consumer) => Commit(consumer, [.. _pending.Keys]);

    /// <summary>
    /// Before partitions move to another member: commit theirs now or never, since a late commit could move the
    /// new owner's committed position back.
    /// </summary>
    public void Revoked(IConsumer<string, byte[]> consumer, IEnumerable<TopicPartition> partitions)
    {
        var moving = partitions.Where(_pending.ContainsKey).ToList();
        Commit(consumer, moving);
        moving.ForEach(partition => _pending.Remove(partition));
    }

    public void Lost(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _pending.Remove(partition);
        }
    }

    /// <summary>Where a rewind must start: a pending offset is ahead of what the broker reports as committed.</summary>
    public TopicPartitionOffset Ahead(TopicPartitionOffset committed) =>
        _pending.TryGetValue(committed.TopicPartition, out var pending) && (committed.Offset.IsSpecial || pending.Value > committed.Offset.Value)
            ? new TopicPartitionOffset(committed.TopicPartition, pending)
            : committed;

    private void Commit(IConsumer<string, byte[]> consumer, List<TopicPartition> partitions)
    {
        if (partitions.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit([.. partitions.Select(partition => new TopicPartitionOffset(partition, _pending[partition]))]);
            partitions.ForEach(partition => _pending.Remove(partition));
        }
        catch (KafkaException e)
        {
            // The transaction is committed; until this lands a restart would price these orders again.
            logger.LogWarning("Committing offsets outside the transaction failed ({Reason}); retrying on the next pass", e.Error.Reason);
        }
    }
}
