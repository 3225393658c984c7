using Confluent.Kafka;

namespace FoodOrdering.Tests.Support.Transactional;

/// <summary>
/// A broker's transaction log without a broker, for the transactional delivery's unit tests: every transaction the
/// fake producers began, with the records produced into it and the offsets sent to it, and what became of it. Only
/// committed transactions count: their records are what a read_committed reader sees, and their offsets are the
/// group's committed position, as KIP-447 makes them. Anything done outside the rules (a record produced with no
/// transaction open, a call on a producer after it failed fatally or was disposed) is noted as a violation.
/// </summary>
internal sealed class FakeTransactionLog
{
    private readonly Lock _lock = new();
    private readonly List<FakeTransaction> _transactions = [];
    private readonly List<string> _violations = [];

    /// <summary>
    /// Decides, for each transactional call (<c>Init</c>, <c>Begin</c>, <c>SendOffsets</c>, <c>Commit</c>, <c>Abort</c>)
    /// with the number of such calls made so far (from 1), whether it fails and how; null lets it succeed.
    /// </summary>
    public Func<string, int, KafkaException?>? Fault { get; set; }

    private readonly Dictionary<string, int> _calls = [];

    public IReadOnlyList<FakeTransaction> Transactions
    {
        get
        {
            lock (_lock)
            {
                return [.. _transactions];
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    public IReadOnlyList<FakeTransaction> Committed => [.. Transactions.Where(transaction => transaction.State == FakeTransactionState.Committed)];

    /// <summary>The records read_committed readers see on <paramref name="topic"/>, in commit order.</summary>
    public List<Message<string, byte[]>> CommittedRecords(string topic) =>
        [.. Committed.SelectMany(transaction => transaction.Records).Where(record => record.Partition.Topic == topic).Select(record => record.Message)];

    public List<Message<string, byte[]>> CommittedRecords(TopicPartition partition) =>
        [.. Committed.SelectMany(transaction => transaction.Records).Where(record => record.Partition == partition).Select(record => record.Message)];

    /// <summary>The group's committed offset of <paramref name="partition"/>: the last committed transaction's that carried it.</summary>
    public Offset CommittedOffset(TopicPartition partition) =>
        Committed.SelectMany(transaction => transaction.Offsets).LastOrDefault(offset => offset.TopicPartition == partition)?.Offset ?? Offset.Unset;

    internal FakeTransaction Begin(string producer)
    {
        lock (_lock)
        {
            var transaction = new FakeTransaction(producer);
            _transactions.Add(transaction);
            return transaction;
        }
    }

    internal void Violated(string what)
    {
        lock (_lock)
        {
            _violations.Add(what);
        }
    }

    internal void MaybeFail(string call)
    {
        int count;
        lock (_lock)
        {
            count = _calls[call] = _calls.GetValueOrDefault(call) + 1;
        }

        // Outside the lock: a fault may hold the call up while the test looks at the log.
        if (Fault?.Invoke(call, count) is { } failure)
        {
            throw failure;
        }
    }
}

internal enum FakeTransactionState
{
    Open,
    Committed,
    Aborted,
}

internal sealed class FakeTransaction(string producer)
{
    public string Producer { get; } = producer;

    public FakeTransactionState State { get; set; }

    public List<(TopicPartition Partition, Message<string, byte[]> Message)> Records { get; } = [];

    public List<TopicPartitionOffset> Offsets { get; } = [];

    /// <summary>The group metadata the offsets were sent with.</summary>
    public IConsumerGroupMetadata? GroupMetadata { get; set; }
}
