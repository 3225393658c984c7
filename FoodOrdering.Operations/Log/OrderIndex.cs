namespace FoodOrdering.Operations.Log;

/// <summary>
/// The coordinates of the newest <see cref="Capacity"/> records by their key (the order id), so an order is found
/// across all topics without reading them again, in bounded memory however long the console runs. Keys are held as
/// 64-bit hashes and coordinates in a ring of flat entries: a few dozen bytes per record whatever the key's length;
/// a hash collision only costs reading a record whose key then does not match. Each entry chains to the one before
/// it with the same key by a running sequence number, so a chain ends where its older entries left the ring, and a
/// key leaves the dictionary when its newest entry does.
/// </summary>
internal sealed class OrderIndex(int capacity)
{
    private const int FirstSize = 1024;

    private readonly Dictionary<ulong, long> _newest = [];
    private readonly Dictionary<(short Topic, int Partition), long> _forgottenBelow = [];
    private readonly List<string> _topics = [];
    private readonly Lock _lock = new();
    private Entry[] _entries = [];
    private long _added;

    public int Capacity => capacity;

    /// <summary>Distinct keys held: never more than the records held.</summary>
    public int Keys
    {
        get { lock (_lock) { return _newest.Count; } }
    }

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

            if (_added >= capacity)
            {
                Forget(_added - capacity);
            }
            else if (_added == _entries.Length)
            {
                // Grown as records come, so a small cluster does not pay for the whole capacity.
                Array.Resize(ref _entries, (int)Math.Min(capacity, Math.Max(FirstSize, 2L * _entries.Length)));
            }

            _entries[Slot(_added)] = new Entry(hash, at.Offset, _newest.TryGetValue(hash, out var previous) ? previous : -1, at.Partition, (short)topic);
            _newest[hash] = _added++;
        }
    }

    /// <summary>Where records with this key may be among those held, newest first.</summary>
    public IReadOnlyList<RecordCoordinates> Find(string key)
    {
        var found = new List<RecordCoordinates>();
        lock (_lock)
        {
            var oldest = Math.Max(0, _added - capacity);
            for (var i = _newest.GetValueOrDefault(Hash(key), -1); i >= oldest; i = _entries[Slot(i)].Previous)
            {
                var entry = _entries[Slot(i)];
                found.Add(new RecordCoordinates(_topics[entry.Topic], entry.Partition, entry.Offset));
            }
        }

        return found;
    }

    /// <summary>
    /// For each partition whose oldest records have left the ring, the offset from which it is held: a search finds
    /// nothing below it. Empty while every record read is held.
    /// </summary>
    public IReadOnlyList<RecordCoordinates> HeldFrom()
    {
        lock (_lock)
        {
            return [.. _forgottenBelow
                .Select(partition => new RecordCoordinates(_topics[partition.Key.Topic], partition.Key.Partition, partition.Value))
                .OrderBy(at => at.Topic, StringComparer.Ordinal).ThenBy(at => at.Partition)];
        }
    }

    private void Forget(long sequence)
    {
        var entry = _entries[Slot(sequence)];
        if (_newest.TryGetValue(entry.Hash, out var newest) && newest == sequence)
        {
            _newest.Remove(entry.Hash);
        }

        var partition = (entry.Topic, entry.Partition);
        _forgottenBelow[partition] = Math.Max(_forgottenBelow.GetValueOrDefault(partition), entry.Offset + 1);
    }

    private int Slot(long sequence) => (int)(sequence % capacity);

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

    private readonly record struct Entry(ulong Hash, long Offset, long Previous, int Partition, short Topic);
}
