using System.Collections.Concurrent;

namespace FoodOrdering.Operations.Log;

/// <summary>One topic as the tail has read it: each partition's records and the rate they arrive at.</summary>
internal sealed class TopicRecords(string name)
{
    public string Name { get; } = name;

    public ConcurrentDictionary<int, PartitionRecords> Partitions { get; } = new();

    public RecordRate Rate { get; } = new();

    public long Count => Partitions.Values.Sum(partition => partition.Count);

    public PartitionRecords Partition(int partition) => Partitions.GetOrAdd(partition, _ => new PartitionRecords());
}
