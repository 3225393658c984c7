namespace FoodOrdering.Operations.Log;

/// <summary>
/// Every record's coordinates by its key (the order id), so an order is found across all topics without reading
/// them again. Keys are held as 64-bit hashes and coordinates in flat arrays: a few dozen bytes per record whatever
/// the key's length; a hash collision only costs reading a record whose key then does not match.
/// </summary>
internal sealed class OrderIndex
{
    private readonly Dictionary<ulong, int> _last = [];
    private readonly List<Entry> _entries = [];
    private readonly List<string> _topics = [];
    private readonly Lock _lock = new();

    public void Add(string key, RecordCoordinates at)
    {
        var hash = Hash(key);
        lock (_lock)
        {
            var topic = _topics.IndexOf(at.Topic);
            if (topic < 0)
            {
                _topics.Add(at.Topic);
                topic = _topics.Count - 1;
            }

            _entries.Add(new Entry(at.Offset, (short)topic, at.Partition, _last.TryGetValue(hash, out var previous) ? previous : -1));
            _last[hash] = _entries.Count - 1;
        }
    }

    /// <summary>Where records with this key may be, newest first.</summary>
    public IReadOnlyList<RecordCoordinates> Find(string key)
    {
        var found = new List<RecordCoordinates>();
        lock (_lock)
        {
            for (var i = _last.GetValueOrDefault(Hash(key), -1); i >= 0; i = _entries[i].Previous)
            {
                var entry = _entries[i];
                found.Add(new RecordCoordinates(_topics[entry.Topic], entry.Partition, entry.Offset));
            }
        }

        return found;
    }

    // FNV-1a: stable, allocation-free, and spread well enough over order ids.
    private static ulong Hash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private readonly record struct Entry(long Offset, short Topic, int Partition, int Previous);
}
