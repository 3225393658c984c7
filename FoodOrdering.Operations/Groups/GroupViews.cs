using FoodOrdering.Contracts;

namespace FoodOrdering.Operations.Groups;

/// <param name="State">As the cluster describes it (Stable, Empty, PreparingRebalance…), or Unknown when it does not.</param>
/// <param name="Members">Null when the cluster does not describe groups.</param>
/// <param name="Lag">Records not yet consumed, as a read_committed reader counts them: 0 once everything is consumed, whatever markers follow.</param>
/// <param name="Paused">The operator's pause (when, by whom) while the group is paused, else null.</param>
internal sealed record GroupSummary(string GroupId, string State, IReadOnlyList<GroupMember>? Members, long Lag, IReadOnlyList<TopicLag> Topics, IReadOnlyList<LagPoint> History, ConsumptionCommand? Paused);

/// <param name="Partitions">The partitions assigned to this member (<c>topic/partition</c>).</param>
internal sealed record GroupMember(string ClientId, string Host, IReadOnlyList<string> Partitions);

internal sealed record TopicLag(string Topic, long Lag, IReadOnlyList<PartitionLag> Partitions);

/// <param name="Committed">The group's committed offset (the next it reads), or null when it has committed none.</param>
internal sealed record PartitionLag(int Partition, long? Committed, long End, long Lag);

internal sealed record LagPoint(DateTimeOffset At, long Lag);

/// <summary>What an offset reset would do, or did, per partition.</summary>
/// <param name="Reread">Records the group would read again (the target is before its committed offset).</param>
/// <param name="Skipped">Records it would never read (the target is after).</param>
internal sealed record ResetPartition(string Topic, int Partition, long? Committed, long Target, long Reread, long Skipped);

internal sealed record ResetResult(string GroupId, string To, DateTimeOffset? At, bool DryRun, IReadOnlyList<ResetPartition> Partitions);

/// <param name="To"><c>earliest</c>, <c>latest</c> or <c>time</c>.</param>
/// <param name="At">For <c>time</c>: the first record at or after this UTC time.</param>
/// <param name="DryRun">Only say what would happen (the default).</param>
/// <param name="Topics">The topics to reset; by default every topic the group has committed offsets on.</param>
internal sealed record ResetRequest(string? To, DateTimeOffset? At, bool? DryRun, IReadOnlyList<string>? Topics);
