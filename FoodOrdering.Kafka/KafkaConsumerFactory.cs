using System.Collections.Concurrent;
using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// Builds the consumers of one group that a service runs side by side, one per worker, so the group spreads its
/// partitions over them. Each has its own <see cref="KafkaConsumerMonitor"/> (in the lag gauge and the group's
/// progress check) and a client id of its own; the factory disposes what it built when the service stops.
/// </summary>
public sealed class KafkaConsumerFactory<TKey, TValue> : IDisposable
{
    private readonly Func<int, KafkaConsumerMonitor> _monitor;
    private readonly Func<int, KafkaConsumerMonitor, Action<ConsumerBuilder<TKey, TValue>>?, IConsumer<TKey, TValue>> _consumer;
    private readonly ConcurrentQueue<KafkaConsumerMember<TKey, TValue>> _members = new();

    internal KafkaConsumerFactory(
        string groupId,
        Func<int, KafkaConsumerMonitor> monitor,
        Func<int, KafkaConsumerMonitor, Action<ConsumerBuilder<TKey, TValue>>?, IConsumer<TKey, TValue>> consumer)
    {
        GroupId = groupId;
        _monitor = monitor;
        _consumer = consumer;
    }

    public string GroupId { get; }

    /// <summary>The members built so far.</summary>
    public IReadOnlyCollection<KafkaConsumerMember<TKey, TValue>> Members => _members;

    /// <summary>A new member of the group, not yet subscribed.</summary>
    /// <param name="index">The member's number in this service, part of its client id.</param>
    /// <param name="configureBuilder">Runs on the consumer builder before it builds (rebalance handlers, say).</param>
    public KafkaConsumerMember<TKey, TValue> Create(int index, Action<ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var monitor = _monitor(index);
        var member = new KafkaConsumerMember<TKey, TValue>(index, _consumer(index, monitor, configureBuilder), monitor);
        _members.Enqueue(member);
        return member;
    }

    /// <summary>
    /// A factory of the same group whose members are built through <paramref name="decorate"/>, for a stand-in broker
    /// that needs more of its clients than Kafka does: it gets the owner's builder configuration and a way to build a
    /// consumer with a configuration of its own (the owner's with more, say), and returns the consumer the owner gets.
    /// Create members from it only.
    /// </summary>
    public KafkaConsumerFactory<TKey, TValue> Decorated(
        Func<Action<ConsumerBuilder<TKey, TValue>>?, Func<Action<ConsumerBuilder<TKey, TValue>>?, IConsumer<TKey, TValue>>, IConsumer<TKey, TValue>> decorate) =>
        new(GroupId, _monitor, (index, monitor, configureBuilder) => decorate(configureBuilder, configure => _consumer(index, monitor, configure)));

    public void Dispose()
    {
        foreach (var member in _members)
        {
            member.Consumer.Dispose();
        }
    }
}
