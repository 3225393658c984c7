using System.Reflection;
using Confluent.Kafka;

namespace FoodOrdering.Tests.Support.Transactional;

/// <summary>
/// The order id ledger's reader of <c>orders.id-claims</c> without a broker: assigned one partition, it reads back what
/// committed transactions wrote there, then reports the partition's end.
/// </summary>
internal class FakeClaimsReader : DispatchProxy
{
    private FakeTransactionLog _log = null!;
    private TopicPartition? _assigned;
    private long _position;

    public static IConsumer<string, byte[]> Create(FakeTransactionLog log)
    {
        var reader = Create<IConsumer<string, byte[]>, FakeClaimsReader>();
        ((FakeClaimsReader)(object)reader)._log = log;
        return reader;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod?.Name)
        {
            case nameof(IConsumer<string, byte[]>.QueryWatermarkOffsets):
                return new WatermarkOffsets(0, _log.CommittedRecords((TopicPartition)args![0]!).Count);
            case nameof(IConsumer<string, byte[]>.Assign) when args![0] is TopicPartitionOffset from:
                _assigned = from.TopicPartition;
                _position = from.Offset.Value;
                return null;
            case nameof(IConsumer<string, byte[]>.Unassign):
                _assigned = null;
                return null;
            case nameof(IConsumer<string, byte[]>.Consume) when _assigned is { } partition:
                var records = _log.CommittedRecords(partition);
                return _position < records.Count
                    ? new ConsumeResult<string, byte[]> { TopicPartitionOffset = new TopicPartitionOffset(partition, _position), Message = records[(int)_position++] }
                    : new ConsumeResult<string, byte[]> { TopicPartitionOffset = new TopicPartitionOffset(partition, _position), IsPartitionEOF = true };
            case nameof(IConsumer<string, byte[]>.Dispose):
                return null;
            default:
                throw new NotSupportedException(targetMethod?.Name);
        }
    }
}
