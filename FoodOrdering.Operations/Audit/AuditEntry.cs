namespace FoodOrdering.Operations.Audit;

/// <summary>One operator action, on <c>operations.audit</c>: who, when, on what, and how each record fared.</summary>
internal sealed record AuditEntry(Guid Id, DateTimeOffset At, string Operator, string Action, string Target, IReadOnlyList<AuditedRecord> Records, string Outcome);

/// <param name="Record">The record's coordinates (<c>topic/partition/offset</c>).</param>
/// <param name="Outcome">One of <see cref="AuditOutcomes"/>.</param>
/// <param name="Detail">Where it was re-driven to, or why it failed.</param>
internal sealed record AuditedRecord(string Record, string Outcome, string? Detail = null);

internal static class AuditActions
{
    public const string Redrive = "redrive";
    public const string Discard = "discard";
    public const string ResetOffsets = "reset-offsets";
    public const string Reveal = "reveal";
    public const string Pause = "pause";
    public const string Resume = "resume";
}

internal static class AuditOutcomes
{
    public const string Redriven = "redriven";
    public const string Discarded = "discarded";
    public const string AlreadyHandled = "already-handled";
    public const string OverLimit = "over-redrive-limit";
    public const string Failed = "failed";
    public const string Done = "done";
    public const string Partial = "partial";
}
