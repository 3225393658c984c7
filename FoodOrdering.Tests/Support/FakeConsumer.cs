using System.Reflection;
using Confluent.Kafka;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A consumer without a broker: partitions held in memory, a position, stored and committed offset per partition,
/// pause and seek, and a journal of what was committed in order. <see cref="OnConsume"/> runs inside every consume
/// call, where librdkafka runs its rebalance callbacks, so a test revokes partitions there as a rebalance would.
/// What librdkafka refuses it refuses alike: storing an offset of a partition not held (<c>Local_State</c>), a
/// commit with nothing stored since the last (<c>Local_NoOffset</c>). Any other member throws, so a test notices when
/// the code under test reaches for more.
/// </summary>
internal class FakeConsumer : DispatchProxy
{
    private readonly object _lock = new();
    private readonly Dictionary<TopicPartition, List<Message<string, byte[]>>> _log = [];
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly Dictionary<TopicPartition, long> _stored = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];
    private int _next;

    public List<TopicPartition> Assigned { get; } = [];

    public HashSet<TopicPartition> Paused { get; } = [];

    public List<TopicPartitionOffset> Sought { get; } = [];

    /// <summary>Every offset committed, in order, as the broker took it.</summary>
    public List<TopicPartitionOffset> Commits { get; } = [];

    /// <summary>Runs at the start of every consume call, on the consuming thread; it may throw what Consume throws.</summary>
    public Action<FakeConsumer>? OnConsume { get; set; }

    /// <summary>Whether the next <see cref="IConsumer{TKey,TValue}.Commit()"/> is refused, as a coordinator that does not answer refuses it.</summary>
    public Func<bool> CommitFails { get; set; } = () => false;

    /// <summary>Whether every record before an offset about to be committed has had its work done, asked at each commit.</summary>
    public Func<TopicPartitionOffset, bool> WorkDoneBefore { get; set; } = _ => true;

    /// <summary>Offsets committed while <see cref="WorkDoneBefore"/> said the work before them was not done.</summary>
    public List<TopicPartitionOffset> CommittedAheadOfTheWork { get; } = [];

    public int ConsumeCalls { get; private set; }

    public bool Closed { get; private set; }

    public static (IConsumer<string, byte[]> Consumer, FakeConsumer Fake) Create()
    {
        var consumer = Create<IConsumer<string, byte[]>, FakeConsumer>();
        return (consumer, (FakeConsumer)(object)consumer);
    }

    /// <summary>Appends records to a partition and assigns it to this consumer if it is not yet.</summary>
    public void Append(TopicPartition partition, params string[] keys)
    {
        lock (_lock)
        {
            if (!_log.TryGetValue(partition, out var records))
            {
                _log[partition] = records = [];
                Assigned.Add(partition);
            }

            records.AddRange(keys.Select(key => new Message<string, byte[]> { Key = key, Value = [], Headers = [] }));
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Takes a partition away, as a rebalance does: its position and stored offset go with it.</summary>
    public void Revoke(TopicPartition partition)
    {
        lock (_lock)
        {
            Assigned.Remove(partition);
            _positions.Remove(partition);
            _stored.Remove(partition);
        }
    }

    public long? CommittedOffset(TopicPartition partition)
    {
        lock (_lock)
        {
            return _committed.TryGetValue(partition, out var offset) ? offset : null;
        }
    }

    public long End(TopicPartition partition)
    {
        lock (_lock)
        {
            return _log.TryGetValue(partition, out var records) ? records.Count : 0;
        }
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        lock (_lock)
        {
            switch (targetMethod?.Name)
            {
                case "get_Assignment":
                    return Assigned.ToList();
                case nameof(IConsumer<string, byte[]>.Subscribe):
                    return null;
                case nameof(IConsumer<string, byte[]>.Consume) when args is [TimeSpan timeout]:
                    return Consume(timeout);
                case nameof(IConsumer<string, byte[]>.Pause):
                    Paused.UnionWith((IEnumerable<TopicPartition>)args![0]!);
                    return null;
                case nameof(IConsumer<string, byte[]>.Resume):
                    Paused.ExceptWith((IEnumerable<TopicPartition>)args![0]!);
                    Monitor.PulseAll(_lock);
                    return null;
                case nameof(IConsumer<string, byte[]>.Seek):
                    var to = (TopicPartitionOffset)args![0]!;
                    Sought.Add(to);
                    _positions[to.TopicPartition] = to.Offset == Offset.Beginning ? 0 : to.Offset.Value;
                    return null;
                case nameof(IConsumer<string, byte[]>.StoreOffset) when args is [ConsumeResult<string, byte[]> result]:
                    if (!Assigned.Contains(result.TopicPartition))
                    {
                        throw new KafkaException(new Error(ErrorCode.Local_State, "Erroneous state"));
                    }

                    _stored[result.TopicPartition] = result.Offset.Value + 1;
                    return null;
                case nameof(IConsumer<string, byte[]>.Commit) when args is null or []:
                    return Commit();
                case nameof(IConsumer<string, byte[]>.Committed) when args is [IEnumerable<TopicPartition> partitions, TimeSpan]:
                    return partitions.Select(partition => new TopicPartitionOffset(partition,
                        _committed.TryGetValue(partition, out var offset) ? new Offset(offset) : Offset.Unset)).ToList();
                case nameof(IConsumer<string, byte[]>.Close):
                    // librdkafka's close commits what is stored and does not throw when that commit fails.
                    try
                    {
                        Commit();
                    }
                    catch (KafkaException)
                    {
                    }

                    // The partitions' next owner starts from the committed offsets.
                    _positions.Clear();
                    _stored.Clear();
                    Closed = true;
                    return null;
                default:
                    throw new NotSupportedException(targetMethod?.Name);
            }
        }
    }

    private List<TopicPartitionOffset> Commit()
    {
        var toCommit = _stored.Where(pair => !_committed.TryGetValue(pair.Key, out var committed) || committed != pair.Value)
            .Select(pair => new TopicPartitionOffset(pair.Key, pair.Value))
            .ToList();
        if (toCommit.Count == 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_NoOffset, "No offset stored"));
        }

        if (CommitFails())
        {
            throw new KafkaException(new Error(ErrorCode.RequestTimedOut, "Broker: Request timed out"));
        }

        foreach (var offset in toCommit)
        {
            if (!WorkDoneBefore(offset))
            {
                CommittedAheadOfTheWork.Add(offset);
            }

            _committed[offset.TopicPartition] = offset.Offset.Value;
            Commits.Add(offset);
        }

        return toCommit;
    }

    // Called holding the lock; waits, as librdkafka does, up to the timeout for a record to arrive.
    private ConsumeResult<string, byte[]>? Consume(TimeSpan timeout)
    {
        ConsumeCalls++;
        OnConsume?.Invoke(this);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var readable = Assigned.Where(partition => !Paused.Contains(partition) && _log.TryGetValue(partition, out var records) && Position(partition) < records.Count).ToList();
            if (readable.Count > 0)
            {
                // Partitions take turns, so a batch holds records of several.
                var partition = readable[_next++ % readable.Count];
                var offset = Position(partition);
                _positions[partition] = offset + 1;
                return new ConsumeResult<string, byte[]> { TopicPartitionOffset = new TopicPartitionOffset(partition, offset), Message = _log[partition][(int)offset] };
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            Monitor.Wait(_lock, left);
        }
    }

    private long Position(TopicPartition partition) =>
        _positions.TryGetValue(partition, out var position) ? position : _committed.GetValueOrDefault(partition);
}
