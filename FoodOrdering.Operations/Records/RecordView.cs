namespace FoodOrdering.Operations.Records;

/// <summary>One record as the console shows it: coordinates, key, headers and value, each cut to a stated size.</summary>
internal sealed record RecordView(string Topic, int Partition, long Offset, DateTimeOffset Timestamp, ValueView? Key, IReadOnlyList<HeaderView> Headers, ValueView? Value, bool Revealed);

internal sealed record HeaderView(string Key, ValueView? Value);

/// <param name="Kind"><c>json</c> (pretty-printed), <c>text</c>, or <c>binary</c> (then <see cref="Text"/> is a hex preview).</param>
/// <param name="Text">What is shown, masked unless revealed.</param>
/// <param name="Bytes">The value's whole size.</param>
/// <param name="Truncated">Whether <see cref="Text"/> was cut at <see cref="ShownUpTo"/>.</param>
/// <param name="ShownUpTo">The size the console cuts at, in characters of the shown text (bytes of a binary value).</param>
internal sealed record ValueView(string Kind, string Text, int Bytes, bool Truncated, int ShownUpTo);

internal static class ValueKinds
{
    public const string Json = "json";
    public const string Text = "text";
    public const string Binary = "binary";
}
