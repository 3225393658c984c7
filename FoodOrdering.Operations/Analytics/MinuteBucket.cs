namespace FoodOrdering.Operations.Analytics;

/// <summary>
/// One minute of the live analytics, by the time the order was placed (or the email sent): a repeat of a record
/// carries the same time, so it meets its first copy in the same minute, and the minute's memory of keys goes when
/// the minute leaves the hour.
/// </summary>
internal sealed class MinuteBucket(int maxRecords, int maxNames)
{
    public const string Other = "(other)";

    private readonly HashSet<long> _keys = [];

    public long Minute { get; private set; } = long.MinValue;

    public decimal Revenue { get; private set; }

    public long Orders { get; private set; }

    public long EmailsSent { get; private set; }

    public long EmailsFailed { get; private set; }

    /// <summary>True once more records came in this minute than it remembers, so a repeat may have been counted.</summary>
    public bool MayHoldRepeats { get; private set; }

    public Dictionary<string, ItemTally> Items { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, decimal> RevenueByCategory { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> RejectionsByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Empties the bucket for another minute; the dictionaries keep their capacity, so the hour allocates once.</summary>
    public void Reuse(long minute)
    {
        Minute = minute;
        Revenue = 0;
        Orders = 0;
        EmailsSent = 0;
        EmailsFailed = 0;
        MayHoldRepeats = false;
        _keys.Clear();
        Items.Clear();
        RevenueByCategory.Clear();
        RejectionsByReason.Clear();
    }

    public bool Remembers(long key) => _keys.Contains(key);

    /// <summary>False for a repeat; a new key past the bound is counted, unremembered.</summary>
    public bool TryRemember(long key)
    {
        if (_keys.Count < maxRecords)
        {
            return _keys.Add(key);
        }

        if (_keys.Contains(key))
        {
            return false;
        }

        MayHoldRepeats = true;
        return true;
    }

    public void AddLine(string menuItemId, string item, string category, int quantity, decimal revenue, bool firstLineOfOrder)
    {
        Revenue += revenue;
        if (firstLineOfOrder)
        {
            Orders++;
        }

        var itemKey = Items.ContainsKey(menuItemId) || Items.Count < maxNames ? menuItemId : Other;
        if (!Items.TryGetValue(itemKey, out var tally))
        {
            tally = itemKey == Other ? new ItemTally(Other, Other, Other) : new ItemTally(menuItemId, item, category);
            Items.Add(itemKey, tally);
        }

        tally.Revenue += revenue;
        tally.Quantity += quantity;
        var categoryKey = Bounded(RevenueByCategory, category);
        RevenueByCategory[categoryKey] = RevenueByCategory.GetValueOrDefault(categoryKey) + revenue;
    }

    public void AddRejection(string reason)
    {
        var key = Bounded(RejectionsByReason, reason);
        RejectionsByReason[key] = RejectionsByReason.GetValueOrDefault(key) + 1;
    }

    public void AddEmailSent() => EmailsSent++;

    public void AddEmailFailed() => EmailsFailed++;

    // Room is kept for "other" itself, so a bucket never holds more than maxNames + 1 names.
    private string Bounded<T>(Dictionary<string, T> names, string name) =>
        names.ContainsKey(name) || names.Count < maxNames ? name : Other;
}
