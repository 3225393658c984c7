using System.Reflection;
using Confluent.Kafka;
using FoodOrdering.Contracts;

namespace FoodOrdering.Tests.Support.Transactional;

/// <summary>
/// A group member reading <see cref="Topics.OrdersReceived"/> without a broker: it hands out the records a test put on
/// its partitions from its positions, seeks, answers <c>Committed</c> from the <see cref="FakeTransactionLog"/> (what
/// committed transactions carried), and runs the rebalance handlers its owner set when a test moves partitions.
/// Every group metadata it hands out names its generation, which a rebalance moves on. Members the code under test
/// has no business calling throw.
/// </summary>
internal class FakeOrdersConsumer : DispatchProxy
{
    private readonly object _lock = new();
    private readonly Dictionary<TopicPartition, List<ConsumeResult<string, byte[]>>> _records = [];
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly Queue<Action> _duringConsume = new();
    private FakeTransactionLog _log = null!;
    private IConsumer<string, byte[]> _self = null!;
    private Action<IConsumer<string, byte[]>, List<TopicPartitionOffset>>? _revoked;
    private int _generation = 1;
    private int _nextPartition;

    public List<TopicPartition> Assigned { get; } = [];

    /// <summary>
    /// False for librdkafka's mock broker: offsets sent to a transaction are not stored, and <c>Committed</c> answers
    /// only what was committed through the consumer.
    /// </summary>
    public bool StoresTransactionalOffsets { get; set; } = true;

    /// <summary>Offsets committed through the consumer itself, the latest per partition.</summary>
    public Dictionary<TopicPartition, Offset> CommittedDirectly { get; } = [];

    /// <summary>What a Commit call is answered with; null succeeds.</summary>
    public KafkaException? CommitFailure { get; set; }

    /// <summary>How many Commit calls to come are answered REBALANCE_IN_PROGRESS, as while another member has not synced.</summary>
    public int CommitsRefusedWhileRebalancing { get; set; }

    /// <summary>
    /// Commits refused with REBALANCE_IN_PROGRESS except from inside a rebalance callback, where the member still owns
    /// what it gives up: as a coordinator answers while another member has not synced.
    /// </summary>
    public bool RefusesCommitsOutsideRebalance { get; set; }

    private bool _inRebalance;

    public List<TopicPartitionOffset> Sought { get; } = [];

    public bool Closed { get; private set; }

    public static (IConsumer<string, byte[]> Consumer, FakeOrdersConsumer Fake) Create(FakeTransactionLog log, params TopicPartition[] assigned)
    {
        var consumer = Create<IConsumer<string, byte[]>, FakeOrdersConsumer>();
        var fake = (FakeOrdersConsumer)(object)consumer;
        fake._log = log;
        fake._self = consumer;
        foreach (var partition in assigned)
        {
            fake._records[partition] = [];
            fake._positions[partition] = 0;
        }

        fake.Assigned.AddRange(assigned);
        return (consumer, fake);
    }

    /// <summary>The revoked handler its owner set on the consumer builder (see <see cref="CapturingConsumerBuilder"/>).</summary>
    public void HandleRevocationsWith(Action<IConsumer<string, byte[]>, List<TopicPartitionOffset>>? revoked) => _revoked = revoked;

    public void Append(TopicPartition partition, string key, byte[] value)
    {
        lock (_lock)
        {
            var records = _records[partition];
            records.Add(new ConsumeResult<string, byte[]>
            {
                TopicPartitionOffset = new TopicPartitionOffset(partition, records.Count),
                Message = new Message<string, byte[]> { Key = key, Value = value },
            });
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Runs <paramref name="action"/> inside the next Consume call that takes a record, after it took it: as a rebalance or an error does.</summary>
    public void DuringNextConsume(Action action)
    {
        lock (_lock)
        {
            _duringConsume.Enqueue(action);
        }
    }

    /// <summary>
    /// A cooperative rebalance inside Consume: <paramref name="partitions"/> are revoked (the owner's handler runs),
    /// then, as another member left again at once, given back; the group's generation moves on.
    /// </summary>
    public void Rebalance(params TopicPartition[] partitions)
    {
        _generation++;
        _inRebalance = true;
        try
        {
            _revoked?.Invoke(_self, [.. partitions.Select(partition => new TopicPartitionOffset(partition, Offset.Unset))]);
        }
        finally
        {
            _inRebalance = false;
        }
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod?.Name)
        {
            case nameof(IConsumer<string, byte[]>.Subscribe):
            case nameof(IConsumer<string, byte[]>.Resume):
            case nameof(IConsumer<string, byte[]>.Dispose):
                return null;
            case nameof(IConsumer<string, byte[]>.Close):
                Closed = true;
                return null;
            case "get_Assignment":
                return Assigned.ToList();
            case "get_ConsumerGroupMetadata":
                return new FakeGroupMetadata(_generation);
            case nameof(IConsumer<string, byte[]>.Consume) when args![0] is TimeSpan timeout:
                return Consume(timeout);
            case nameof(IConsumer<string, byte[]>.Committed) when args!.Length == 2:
                return ((IEnumerable<TopicPartition>)args[0]!).Select(partition => new TopicPartitionOffset(partition, CommittedOffset(partition))).ToList();
            case nameof(IConsumer<string, byte[]>.Commit) when args!.Length == 1 && args[0] is IEnumerable<TopicPartitionOffset> offsets:
                if (CommitFailure is { } failure)
                {
                    throw failure;
                }

                if (CommitsRefusedWhileRebalancing > 0)
                {
                    CommitsRefusedWhileRebalancing--;
                    throw new KafkaException(new Error(ErrorCode.RebalanceInProgress, "the group is rebalancing"));
                }

                if (RefusesCommitsOutsideRebalance && !_inRebalance)
                {
                    throw new KafkaException(new Error(ErrorCode.RebalanceInProgress, "the group is rebalancing"));
                }

                foreach (var offset in offsets)
                {
                    CommittedDirectly[offset.TopicPartition] = offset.Offset;
                }

                return null;
            case nameof(IConsumer<string, byte[]>.Seek):
                var to = (TopicPartitionOffset)args![0]!;
                lock (_lock)
                {
                    Sought.Add(to);
                    _positions[to.TopicPartition] = to.Offset == Offset.Beginning ? 0 : to.Offset.Value;
                }

                return null;
            default:
                throw new NotSupportedException(targetMethod?.Name);
        }
    }

    private Offset CommittedOffset(TopicPartition partition)
    {
        var direct = CommittedDirectly.TryGetValue(partition, out var offset) ? offset : Offset.Unset;
        var inTransaction = StoresTransactionalOffsets ? _log.CommittedOffset(partition) : Offset.Unset;
        return direct.IsSpecial || (!inTransaction.IsSpecial && inTransaction.Value > direct.Value) ? inTransaction : direct;
    }

    private ConsumeResult<string, byte[]>? Consume(TimeSpan timeout)
    {
        ConsumeResult<string, byte[]>? result;
        Action? during = null;
        lock (_lock)
        {
            // A poll that finds nothing waits for a record, as librdkafka's does, up to its timeout.
            result = Next();
            if (result is null && Monitor.Wait(_lock, timeout))
            {
                result = Next();
            }

            if (result is not null)
            {
                _duringConsume.TryDequeue(out during);
            }
        }

        during?.Invoke();
        return result;
    }

    /// <summary>The next record of the assigned partitions, taking them in turn as a fetch of several does.</summary>
    private ConsumeResult<string, byte[]>? Next()
    {
        for (var i = 0; i < Assigned.Count; i++)
        {
            var partition = Assigned[(_nextPartition + i) % Assigned.Count];
            var position = _positions[partition];
            if (position < _records[partition].Count)
            {
                _nextPartition = (_nextPartition + i + 1) % Assigned.Count;
                _positions[partition] = position + 1;
                return _records[partition][(int)position];
            }
        }

        return null;
    }
}

/// <summary>A consumer's group metadata in a test: the generation it was taken in.</summary>
internal sealed record FakeGroupMetadata(int Generation) : IConsumerGroupMetadata;
