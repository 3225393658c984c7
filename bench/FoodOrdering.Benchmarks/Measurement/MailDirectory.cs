namespace FoodOrdering.Benchmarks.Measurement;

/// <summary>
/// Reads the embedded SMTP sink's <c>.eml</c> files back: each confirmation's <c>Message-Id</c> is
/// <c>order-{orderId:N}@domain</c>, so the files say which orders were emailed, how often, and when.
/// </summary>
internal static class MailDirectory
{
    private const string MessageIdHeader = "Message-Id:";
    private const string Prefix = "<order-";

    /// <summary>
    /// Tallies every email in <paramref name="directory"/> (or only those written before <paramref name="writtenBefore"/>),
    /// then deletes it; records placed → written when given placing times.
    /// </summary>
    public static void TallyAndDelete(
        string directory, DeliveryTally tally, IReadOnlyDictionary<Guid, DateTimeOffset>? placedAt = null, LatencyRecorder? latency = null, DateTime? writtenBefore = null)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.eml"))
        {
            if (writtenBefore is { } before && File.GetLastWriteTimeUtc(file) >= before)
            {
                continue;
            }

            var orderId = OrderIdOf(file);
            if (orderId is { } id && tally.Record(id) && latency is not null && placedAt is not null && placedAt.TryGetValue(id, out var placed))
            {
                latency.Record((new DateTimeOffset(File.GetLastWriteTimeUtc(file)) - placed).TotalMilliseconds);
            }
            else if (orderId is null)
            {
                tally.Record(Guid.Empty);
            }

            File.Delete(file);
        }
    }

    private static Guid? OrderIdOf(string file)
    {
        using var reader = new StreamReader(file);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            if (!line.StartsWith(MessageIdHeader, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = line.AsSpan(MessageIdHeader.Length).Trim();
            var at = value.IndexOf('@');
            return value.StartsWith(Prefix, StringComparison.Ordinal) && at > Prefix.Length && Guid.TryParseExact(value[Prefix.Length..at], "N", out var id)
                ? id
                : null;
        }

        return null;
    }
}
