namespace FoodOrdering.Operations.Catalog;

/// <param name="Records">Records a read_committed reader gets (transaction markers take offsets but are no records).</param>
/// <param name="RecordsPerSecond">Over the last minute, by the records' timestamps.</param>
/// <param name="RetentionMs">The topic's <c>retention.ms</c>, or null when the cluster does not say.</param>
/// <param name="Settled">Whether the console has read the topic to its end (until then the counts are still growing).</param>
internal sealed record TopicSummary(string Name, int Partitions, long Records, double RecordsPerSecond, long? RetentionMs, long? RetentionBytes, bool Settled);

/// <param name="Low">The first offset still on the log.</param>
/// <param name="High">The next offset to be written.</param>
internal sealed record PartitionSummary(int Partition, long Low, long High, long Records);

internal sealed record TopicDetail(TopicSummary Topic, IReadOnlyList<PartitionSummary> Partitions);
