using System.Reflection;
using Confluent.Kafka;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A consumer without a broker for what a pause touches: its assignment, which partitions are paused, and where it
/// was sought to. Any other member throws, so a test notices when the code under test reaches for more.
/// </summary>
internal class FakeConsumer : DispatchProxy
{
    public List<TopicPartition> Assigned { get; } = [];

    public HashSet<TopicPartition> Paused { get; } = [];

    public List<TopicPartitionOffset> Sought { get; } = [];

    public static (IConsumer<string, byte[]> Consumer, FakeConsumer Fake) Create()
    {
        var consumer = Create<IConsumer<string, byte[]>, FakeConsumer>();
        return (consumer, (FakeConsumer)(object)consumer);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod?.Name)
        {
            case "get_Assignment":
                return Assigned.ToList();
            case nameof(IConsumer<string, byte[]>.Pause):
                Paused.UnionWith((IEnumerable<TopicPartition>)args![0]!);
                return null;
            case nameof(IConsumer<string, byte[]>.Resume):
                Paused.ExceptWith((IEnumerable<TopicPartition>)args![0]!);
                return null;
            case nameof(IConsumer<string, byte[]>.Seek):
                Sought.Add((TopicPartitionOffset)args![0]!);
                return null;
            default:
                throw new NotSupportedException(targetMethod?.Name);
        }
    }
}
