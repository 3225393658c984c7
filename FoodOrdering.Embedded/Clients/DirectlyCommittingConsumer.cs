using Confluent.Kafka;

namespace FoodOrdering.Embedded.Clients;

/// <summary>
/// A transactional worker's consumer on the mock broker: the offsets its transactions carried are committed through
/// it as well (<see cref="DirectOffsetCommits"/>), a failed commit is tried again before the next poll after an empty
/// one and on close, and <c>Committed</c> answers with those offsets while they are pending. Everything else goes
/// to the consumer it wraps.
/// </summary>
/// <remarks>
/// Offsets still pending when their partitions move are committed from inside the rebalance callback
/// (<see cref="RebalanceHandlers"/> runs it before the owner's), or dropped when the partitions were lost.
/// </remarks>
internal sealed class DirectlyCommittingConsumer : IConsumer<string, byte[]>
{
    private readonly IConsumer<string, byte[]> _consumer;
    private readonly DirectOffsetCommits _commits;
    private bool _retryDue;

    public DirectlyCommittingConsumer(IConsumer<string, byte[]> consumer, DirectOffsetCommits commits)
    {
        _consumer = consumer;
        _commits = commits;
    }

    public IConsumerGroupMetadata ConsumerGroupMetadata => new CommittingGroupMetadata(_consumer.ConsumerGroupMetadata, _commits);

    public ConsumeResult<string, byte[]> Consume(int millisecondsTimeout) => Polled(() => _consumer.Consume(millisecondsTimeout));

    public ConsumeResult<string, byte[]> Consume(CancellationToken cancellationToken = default) => Polled(() => _consumer.Consume(cancellationToken));

    public ConsumeResult<string, byte[]> Consume(TimeSpan timeout) => Polled(() => _consumer.Consume(timeout));

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => [.. _consumer.Committed(timeout).Select(_commits.Ahead)];

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) =>
        [.. _consumer.Committed(partitions, timeout).Select(_commits.Ahead)];

    public void Close()
    {
        _commits.TryCommit();
        _consumer.Close();
    }

    public Handle Handle => _consumer.Handle;

    public string Name => _consumer.Name;

    public string MemberId => _consumer.MemberId;

    public List<TopicPartition> Assignment => _consumer.Assignment;

    public List<string> Subscription => _consumer.Subscription;

    public int AddBrokers(string brokers) => _consumer.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => _consumer.SetSaslCredentials(username, password);

    public void Subscribe(IEnumerable<string> topics) => _consumer.Subscribe(topics);

    public void Subscribe(string topic) => _consumer.Subscribe(topic);

    public void Unsubscribe() => _consumer.Unsubscribe();

    public void Assign(TopicPartition partition) => _consumer.Assign(partition);

    public void Assign(TopicPartitionOffset partition) => _consumer.Assign(partition);

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => _consumer.Assign(partitions);

    public void Assign(IEnumerable<TopicPartition> partitions) => _consumer.Assign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => _consumer.IncrementalAssign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => _consumer.IncrementalAssign(partitions);

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => _consumer.IncrementalUnassign(partitions);

    public void Unassign() => _consumer.Unassign();

    public void StoreOffset(ConsumeResult<string, byte[]> result) => _consumer.StoreOffset(result);

    public void StoreOffset(TopicPartitionOffset offset) => _consumer.StoreOffset(offset);

    public List<TopicPartitionOffset> Commit() => _consumer.Commit();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => _consumer.Commit(offsets);

    public void Commit(ConsumeResult<string, byte[]> result) => _consumer.Commit(result);

    public void Seek(TopicPartitionOffset tpo) => _consumer.Seek(tpo);

    public void Pause(IEnumerable<TopicPartition> partitions) => _consumer.Pause(partitions);

    public void Resume(IEnumerable<TopicPartition> partitions) => _consumer.Resume(partitions);

    public Offset Position(TopicPartition partition) => _consumer.Position(partition);

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
        _consumer.OffsetsForTimes(timestampsToSearch, timeout);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => _consumer.GetWatermarkOffsets(topicPartition);

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => _consumer.QueryWatermarkOffsets(topicPartition, timeout);

    public void Dispose() => _consumer.Dispose();

    private ConsumeResult<string, byte[]> Polled(Func<ConsumeResult<string, byte[]>> poll)
    {
        // Retried once per empty poll rather than before every record: while the coordinator fails commits, each try blocks.
        if (_retryDue)
        {
            _commits.TryCommit();
        }

        var result = poll();
        _retryDue = result is null;
        return result!;
    }
}
