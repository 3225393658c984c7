using System.Reflection;
using Confluent.Kafka;
using FoodOrdering.Kafka;

namespace FoodOrdering.Tests.Support.Transactional;

/// <summary>
/// A transactional producer writing to a <see cref="FakeTransactionLog"/>. Like Confluent's it refuses everything
/// once a call failed fatally (fenced, say), and a record produced with no transaction open is a violation.
/// </summary>
internal sealed class FakeTransactionalProducer : ITransactionalProducer
{
    private readonly FakeTransactionLog _log;
    private FakeTransaction? _open;
    private bool _dead;

    public FakeTransactionalProducer(FakeTransactionLog log, string name)
    {
        _log = log;
        Name = name;
        Producer = ProduceInto.Create(this);
    }

    public string Name { get; }

    public bool Disposed { get; private set; }

    public IProducer<string, byte[]> Producer { get; }

    public void ServeEvents() => Alive(nameof(ServeEvents));

    public void BeginTransaction()
    {
        Alive(nameof(BeginTransaction));
        if (_open is not null)
        {
            _log.Violated($"{Name}: BeginTransaction with a transaction open");
        }

        Call("Begin");
        _open = _log.Begin(Name);
    }

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout)
    {
        var open = Open(nameof(SendOffsetsToTransaction));
        Call("SendOffsets");
        open.Offsets.AddRange(offsets);
        open.GroupMetadata = groupMetadata;
    }

    public void CommitTransaction(TimeSpan timeout)
    {
        var open = Open(nameof(CommitTransaction));
        Call("Commit");
        open.State = FakeTransactionState.Committed;
        _open = null;
    }

    public void AbortTransaction(TimeSpan timeout)
    {
        var open = Open(nameof(AbortTransaction));
        Call("Abort");
        open.State = FakeTransactionState.Aborted;
        _open = null;
    }

    public void Dispose()
    {
        // As Kafka does for a producer that goes away: its open transaction never commits.
        if (_open is not null)
        {
            _open.State = FakeTransactionState.Aborted;
            _open = null;
        }

        Disposed = true;
    }

    private void Produce(TopicPartition partition, Message<string, byte[]> message)
    {
        var open = Open("Produce");
        open.Records.Add((partition.Partition == Partition.Any ? new TopicPartition(partition.Topic, 0) : partition, message));
    }

    private void Call(string call)
    {
        try
        {
            _log.MaybeFail(call);
        }
        catch (KafkaException e) when (e.Error.IsFatal)
        {
            _dead = true;
            throw;
        }
    }

    private FakeTransaction Open(string call)
    {
        Alive(call);
        if (_open is null)
        {
            _log.Violated($"{Name}: {call} with no transaction open");
            throw new KafkaException(new Error(ErrorCode.Local_State, $"{call}: no transaction open"));
        }

        return _open;
    }

    private void Alive(string call)
    {
        if (Disposed || _dead)
        {
            _log.Violated($"{Name}: {call} after the producer {(Disposed ? "was disposed" : "failed fatally")}");
            throw new KafkaException(new Error(ErrorCode.Local_Fatal, $"{call} on a dead producer", isFatal: true));
        }
    }

    /// <summary>The <see cref="IProducer{TKey, TValue}"/> the transaction's records go through.</summary>
    internal class ProduceInto : DispatchProxy
    {
        private FakeTransactionalProducer _owner = null!;

        public static IProducer<string, byte[]> Create(FakeTransactionalProducer owner)
        {
            var producer = Create<IProducer<string, byte[]>, ProduceInto>();
            ((ProduceInto)(object)producer)._owner = owner;
            return producer;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            switch (targetMethod?.Name, args?[0])
            {
                case (nameof(IProducer<string, byte[]>.Produce), string topic):
                    _owner.Produce(new TopicPartition(topic, Partition.Any), (Message<string, byte[]>)args![1]!);
                    return null;
                case (nameof(IProducer<string, byte[]>.Produce), TopicPartition partition):
                    _owner.Produce(partition, (Message<string, byte[]>)args![1]!);
                    return null;
                case ("get_Name", _):
                    return _owner.Name;
                default:
                    throw new NotSupportedException(targetMethod?.Name);
            }
        }
    }
}
