using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions.OrderIds;

/// <summary>
/// One order id, one order: which ids the worker's partitions have priced, so the same order received again is a
/// duplicate and a different order under a used id is rejected, under exactly-once and across restarts, crashes and
/// rebalances.
/// <para>
/// The state is a changelog, as Kafka Streams keeps its stores. The first order priced under an id (confirmed or
/// rejected) adds an <see cref="OrderIdClaim"/> to <see cref="Topics.OrderIdClaims"/>, on the partition of the same number
/// as the order's (the topics are co-partitioned and orders are keyed by their id), inside the transaction holding
/// the order's outputs and offsets: the claim is durable exactly when they are. Until that transaction commits the
/// claim is only staged, seen by the orders after it in the same transaction and dropped if it aborts.
/// </para>
/// <para>
/// A partition's claims are read back when a batch of it first comes to the worker (after a start, a crash, a
/// rebalance) and forgotten when the partition leaves. Read back, a claim counts only if the order it names is below
/// the group's committed offset on that partition: its transaction moved the offsets past the order, so it committed.
/// A claim of an aborted transaction is below no commit and does not count, so its order is priced again — which
/// matters on a broker that hands aborted records to read_committed readers, and costs nothing on one that does not.
/// </para>
/// <para>
/// Memory is bounded by a window: an id is remembered for <see cref="OrderProcessingOptions.OrderIdWindow"/> after its
/// claim, and at most <see cref="OrderProcessingOptions.MaxOrderIdsPerPartition"/> per partition, the oldest
/// forgotten first. One per worker, used on its thread only (rebalance callbacks run inside its Consume calls).
/// </para>
/// </summary>
internal sealed partial class OrderIdLedger(
    IConsumer<string, byte[]> orders,
    IConsumer<string, byte[]> claimsReader,
    IOptions<OrderProcessingOptions> options,
    TimeProvider time,
    ILogger<OrderIdLedger> logger)
{
    /// <summary>The consumers that read claims back: assigned, never subscribed, so this names no group on the broker.</summary>
    public const string ClaimsReaderName = "transactions-order-ids";

    private readonly OrderProcessingOptions _settings = options.Value;
    private readonly Dictionary<int, PartitionIds> _partitions = [];
    private readonly Dictionary<Guid, Seen> _staged = [];
    private readonly List<(int Partition, Guid OrderId)> _stagedOrder = [];

    /// <summary>
    /// Reads back the claims of every partition of <paramref name="batch"/> not yet known; false, logged, when Kafka
    /// did not answer in time, for the batch to be replayed.
    /// </summary>
    public bool TryLoad(IReadOnlyList<ConsumeResult<string, byte[]>> batch)
    {
        foreach (var partition in batch.Select(record => record.Partition.Value).Distinct())
        {
            if (_partitions.ContainsKey(partition))
            {
                continue;
            }

            try
            {
                _partitions[partition] = Load(partition);
            }
            catch (KafkaException e)
            {
                LogLoadFailed(logger, e, partition, e.Error.Reason);
                return false;
            }
        }

        return true;
    }

    /// <summary>What is known of <paramref name="orderId"/>, received on <paramref name="record"/>'s partition.</summary>
    public OrderIdVerdict Check(ConsumeResult<string, byte[]> record, Guid orderId, UInt128 fingerprint)
    {
        var claim = _staged.TryGetValue(orderId, out var staged) ? staged
            : _partitions[record.Partition.Value].Find(orderId, Horizon());
        return claim switch
        {
            null => OrderIdVerdict.New,
            { Fingerprint: var known } when known == fingerprint => OrderIdVerdict.Duplicate,
            _ => OrderIdVerdict.InUse,
        };
    }

    /// <summary>Claims <paramref name="orderId"/> for the order of <paramref name="record"/>, on the open transaction.</summary>
    public void Claim(IProducer<string, byte[]> producer, ConsumeResult<string, byte[]> record, Guid orderId, UInt128 fingerprint)
    {
        var now = time.GetUtcNow();
        var claim = new OrderIdClaim(orderId, OrderFingerprint.ToText(fingerprint), record.Offset.Value, now);
        producer.Produce(new TopicPartition(Topics.OrderIdClaims, record.Partition), new Message<string, byte[]>
        {
            Key = orderId.ToString(),
            Value = JsonSerializer.SerializeToUtf8Bytes(claim, OrderIdClaimJsonContext.Default.OrderIdClaim),
        });
        _staged[orderId] = new Seen(fingerprint, now);
        _stagedOrder.Add((record.Partition.Value, orderId));
    }

    /// <summary>The open transaction committed: what it claimed is known from now on.</summary>
    public void Committed()
    {
        foreach (var (partition, orderId) in _stagedOrder)
        {
            if (_partitions.TryGetValue(partition, out var ids))
            {
                ids.Add(orderId, _staged[orderId], _settings.MaxOrderIdsPerPartition);
            }
        }

        Aborted();
    }

    /// <summary>The open transaction aborted: nothing it claimed holds.</summary>
    public void Aborted()
    {
        _staged.Clear();
        _stagedOrder.Clear();
    }

    /// <summary>Partitions revoked or lost: their next owner, this worker again included, reads their claims back.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _partitions.Remove(partition.Partition.Value);
        }
    }

    private DateTimeOffset Horizon() => time.GetUtcNow() - _settings.OrderIdWindow;

    private PartitionIds Load(int partition)
    {
        var received = new TopicPartition(Topics.OrdersReceived, partition);
        var committed = orders.Committed([received], _settings.TransactionTimeout)[0].Offset;
        var below = committed.IsSpecial ? 0 : committed.Value;
        var ids = new PartitionIds();
        var counted = 0;
        var ignored = 0;
        var deadline = time.GetUtcNow() + _settings.TransactionTimeout;
        var horizon = Horizon();
        // A claim takes one offset, and a transaction's marker one more after at least one claim, so the last
        // MaxOrderIdsPerPartition claims, all that can be remembered, lie (aborted transactions aside) within twice as
        // many offsets of the end: older ones are not read at all.
        var claims = new TopicPartition(Topics.OrderIdClaims, partition);
        var ends = claimsReader.QueryWatermarkOffsets(claims, _settings.TransactionTimeout);
        claimsReader.Assign(new TopicPartitionOffset(claims, Math.Max(ends.Low.Value, ends.High.Value - (2L * _settings.MaxOrderIdsPerPartition))));
        try
        {
            while (true)
            {
                var remaining = deadline - time.GetUtcNow();
                var record = claimsReader.Consume(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero)
                    ?? throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"Reading the order ids of partition {partition} took longer than {_settings.TransactionTimeout}."));
                if (record.IsPartitionEOF)
                {
                    break;
                }

                if (Read(record) is { } claim && claim.ReceivedOffset < below && claim.ClaimedAt >= horizon
                    && OrderFingerprint.TryParse(claim.Fingerprint, out var fingerprint))
                {
                    ids.Add(claim.OrderId, new Seen(fingerprint, claim.ClaimedAt), _settings.MaxOrderIdsPerPartition);
                    counted++;
                }
                else
                {
                    ignored++;
                }
            }
        }
        finally
        {
            claimsReader.Unassign();
        }

        LogLoaded(logger, partition, counted, ignored, below);
        return ids;
    }

    private static OrderIdClaim? Read(ConsumeResult<string, byte[]> record)
    {
        try
        {
            return record.Message.Value is { Length: > 0 } value ? JsonSerializer.Deserialize(value, OrderIdClaimJsonContext.Default.OrderIdClaim) : null;
        }
        catch (JsonException)
        {
            // Not a claim this service wrote: it proves nothing about an id.
            return null;
        }
    }

    private readonly record struct Seen(UInt128 Fingerprint, DateTimeOffset ClaimedAt);

    /// <summary>The claims of one partition, oldest first; the first claim of an id stands.</summary>
    private sealed class PartitionIds
    {
        private readonly Dictionary<Guid, Seen> _claims = [];
        private readonly Queue<Guid> _oldestFirst = new();

        public Seen? Find(Guid orderId, DateTimeOffset horizon)
        {
            while (_oldestFirst.TryPeek(out var oldest) && _claims[oldest].ClaimedAt < horizon)
            {
                _claims.Remove(_oldestFirst.Dequeue());
            }

            return _claims.TryGetValue(orderId, out var claim) ? claim : null;
        }

        public void Add(Guid orderId, Seen claim, int max)
        {
            if (!_claims.TryAdd(orderId, claim))
            {
                return;
            }

            _oldestFirst.Enqueue(orderId);
            if (_oldestFirst.Count > max)
            {
                _claims.Remove(_oldestFirst.Dequeue());
            }
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Read back the order ids of partition {Partition}: {Counted} claims count, {Ignored} do not (aborted, unreadable, or older than the window); orders below offset {Below} are done")]
    private static partial void LogLoaded(ILogger logger, int partition, int counted, int ignored, long below);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Reading back the order ids of partition {Partition} failed ({Reason}); the batch is replayed")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, int partition, string reason);
}
