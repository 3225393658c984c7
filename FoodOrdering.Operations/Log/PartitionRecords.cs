namespace FoodOrdering.Operations.Log;

/// <summary>
/// Where one partition's records are, as a read_committed reader gets them: runs of consecutive offsets, since
/// transaction markers (and aborted records on a real broker) take offsets that hold no record. Counting records and
/// lag is then a walk over a few runs, not over offsets.
/// </summary>
internal sealed class PartitionRecords
{
    private readonly List<(long Start, long End)> _runs = [];
    private readonly Lock _lock = new();
    private long _readTo;

    /// <summary>The offset the tail has read up to (exclusive), records and markers alike.</summary>
    public long ReadTo
    {
        get { lock (_lock) { return _readTo; } }
    }

    public long Count
    {
        get { lock (_lock) { return _runs.Sum(run => run.End - run.Start); } }
    }

    public void Add(long offset)
    {
        lock (_lock)
        {
            if (_runs.Count > 0 && _runs[^1].End == offset)
            {
                _runs[^1] = (_runs[^1].Start, offset + 1);
            }
            else if (_runs.Count == 0 || _runs[^1].End < offset)
            {
                _runs.Add((offset, offset + 1));
            }

            _readTo = Math.Max(_readTo, offset + 1);
        }
    }

    /// <summary>The reader reached the end of the partition at <paramref name="offset"/>: whatever lies below holds no further record.</summary>
    public void ReachedEnd(long offset)
    {
        lock (_lock)
        {
            _readTo = Math.Max(_readTo, offset);
        }
    }

    /// <summary>Forgets records below <paramref name="low"/>, which retention has deleted.</summary>
    public void TrimBelow(long low)
    {
        lock (_lock)
        {
            _runs.RemoveAll(run => run.End <= low);
            if (_runs.Count > 0 && _runs[0].Start < low)
            {
                _runs[0] = (low, _runs[0].End);
            }
        }
    }

    /// <summary>Records at or above <paramref name="from"/> and below <paramref name="to"/>.</summary>
    public long CountBetween(long from, long to)
    {
        lock (_lock)
        {
            long count = 0;
            foreach (var (start, end) in _runs)
            {
                count += Math.Max(0, Math.Min(end, to) - Math.Max(start, from));
            }

            return count;
        }
    }

    /// <summary>
    /// The offset of the <paramref name="count"/>-th record before <paramref name="before"/> (or the first record's
    /// when there are fewer): where a page of the newest records starts.
    /// </summary>
    public long StartOfLast(long before, int count)
    {
        lock (_lock)
        {
            var left = (long)count;
            for (var i = _runs.Count - 1; i >= 0; i--)
            {
                var (start, end) = _runs[i];
                end = Math.Min(end, before);
                if (end <= start)
                {
                    continue;
                }

                if (end - start >= left)
                {
                    return end - left;
                }

                left -= end - start;
            }

            return _runs.Count > 0 ? _runs[0].Start : 0;
        }
    }
}
