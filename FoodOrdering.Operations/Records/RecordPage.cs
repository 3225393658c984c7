namespace FoodOrdering.Operations.Records;

/// <param name="Next">The cursor of the following page (older for <c>newest</c>, newer otherwise); null when there is none.</param>
/// <param name="Scanned">Records read from the log to answer, those passed over to find a time or to merge the partitions included.</param>
internal sealed record RecordPage(string Topic, string From, IReadOnlyList<RecordView> Records, string? Next, int MaxValueChars, int Scanned);
