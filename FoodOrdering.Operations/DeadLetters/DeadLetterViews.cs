namespace FoodOrdering.Operations.DeadLetters;

/// <summary>A failure group: dead letters with the same reason, source topic and error fingerprint.</summary>
/// <param name="Unhandled">Neither re-driven nor discarded yet.</param>
/// <param name="OverLimit">Unhandled ones re-driven <see cref="OperationsOptions.RedriveLimit"/> times already: a group action skips them.</param>
internal sealed record DeadLetterGroupView(
    string Id, string Reason, string SourceTopic, string DeadLetterTopic, string Error, int Count, int Unhandled, int OverLimit, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <param name="Record">Its coordinates (<c>topic/partition/offset</c>), which the actions take.</param>
/// <param name="Handled">How it was handled (<c>redriven</c>, <c>discarded</c>), or null.</param>
/// <param name="HandledDetail">Where it was re-driven to.</param>
internal sealed record DeadLetterView(
    string Record, string Group, string? Key, DateTimeOffset Timestamp, string Reason, string SourceTopic, int? SourcePartition, long? SourceOffset,
    string? ConsumerGroup, string? ErrorType, string Error, int RedriveCount, bool OverLimit, string? Handled, DateTimeOffset? HandledAt, string? HandledDetail);

internal sealed record DeadLetterGroupDetail(DeadLetterGroupView Group, IReadOnlyList<DeadLetterView> Records);

/// <summary>Which dead letters an action takes: one group, or a list of records (<c>topic/partition/offset</c>).</summary>
internal sealed record DeadLetterSelection(string? Group, IReadOnlyList<string>? Records);

/// <param name="AuditId">The audit record of the action.</param>
internal sealed record DeadLetterActionResult(Guid AuditId, string Action, IReadOnlyList<Audit.AuditedRecord> Records);
