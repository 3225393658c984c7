using Confluent.Kafka;
using FoodOrdering.Kafka;

namespace FoodOrdering.Embedded.Clients;

/// <summary>
/// A transactional producer on the mock broker: once a transaction that carried a
/// <see cref="DirectlyCommittingConsumer"/>'s offsets commits, it hands them to that consumer's
/// <see cref="DirectOffsetCommits"/>. An aborted or failed transaction hands on nothing.
/// </summary>
internal sealed class DirectlyCommittingProducer(ITransactionalProducer producer) : ITransactionalProducer
{
    private (DirectOffsetCommits Commits, List<TopicPartitionOffset> Offsets)? _sent;

    public IProducer<string, byte[]> Producer => producer.Producer;

    public void ServeEvents() => producer.ServeEvents();

    public void BeginTransaction()
    {
        _sent = null;
        producer.BeginTransaction();
    }

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout)
    {
        if (groupMetadata is not CommittingGroupMetadata committing)
        {
            producer.SendOffsetsToTransaction(offsets, groupMetadata, timeout);
            return;
        }

        var sent = offsets.ToList();
        producer.SendOffsetsToTransaction(sent, committing.Metadata, timeout);
        _sent = (committing.Commits, sent);
    }

    public void CommitTransaction(TimeSpan timeout)
    {
        producer.CommitTransaction(timeout);
        if (_sent is { } sent)
        {
            _sent = null;
            sent.Commits.Committed(sent.Offsets);
        }
    }

    public void AbortTransaction(TimeSpan timeout)
    {
        _sent = null;
        producer.AbortTransaction(timeout);
    }

    public void Dispose() => producer.Dispose();
}
