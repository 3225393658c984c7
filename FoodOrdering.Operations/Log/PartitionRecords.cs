namespace FoodOrdering.Operations.Log;

/// <summary>
/// Where one partition's records are, as a read_committed reader gets them: runs of consecutive offsets, since
/// transaction markers (and aborted records on a real broker) take offsets that hold no record. Counting records and
/// lag is then a walk over a few runs, not over offsets. It also keeps a sparse index of the records' times, so that
/// finding a time by reading (<see cref="OperationsOptions.FindTimesByReading"/>) starts near it rather than at the
/// partition's first record.
/// </summary>
internal sealed class PartitionRecords
{
    /// <summary>Samples the time index keeps at most; past it, every other one is dropped and they are taken half as often.</summary>
    public const int MaxTimeSamples = 256;

    private readonly List<(long Start, long End)> _runs = [];
    private readonly List<TimeSample> _samples = [];
    private readonly Lock _lock = new();
    private long _readTo;
    private long _added;
    private long _sampleEvery = 1;
    private DateTime _latest = DateTime.MinValue;

    /// <summary>The offset the tail has read up to (exclusive), records and markers alike.</summary>
    public long ReadTo
    {
        get { lock (_lock) { return _readTo; } }
    }

    public long Count
    {
        get { lock (_lock) { return _runs.Sum(run => run.End - run.Start); } }
    }

    /// <summary>Runs of consecutive record offsets held: what counting walks over.</summary>
    public int Runs
    {
        get { lock (_lock) { return _runs.Count; } }
    }

    /// <summary>Records between two samples of the time index: the most a search for a time reads past its start.</summary>
    public long RecordsPerTimeSample
    {
        get { lock (_lock) { return _sampleEvery; } }
    }

    public int TimeSamples
    {
        get { lock (_lock) { return _samples.Count; } }
    }

    public void Add(long offset, DateTime timestamp)
    {
        lock (_lock)
        {
            if (_added++ % _sampleEvery == 0)
            {
                _samples.Add(new TimeSample(offset, _latest));
                if (_samples.Count > MaxTimeSamples)
                {
                    var kept = _samples.Where((_, index) => index % 2 == 0).ToList();
                    _samples.Clear();
                    _samples.AddRange(kept);
                    _sampleEvery *= 2;
                }
            }

            if (timestamp > _latest)
            {
                _latest = timestamp;
            }

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

    /// <summary>
    /// An offset below which every record is older than <paramref name="time"/>, as near the first record at or after
    /// it as the time index tells: a search for the time by reading starts there. Timestamps need not grow with
    /// offsets (producers set them), so each sample holds the latest time of all the records before it.
    /// </summary>
    public long BeforeFirstAtOrAfter(DateTime time)
    {
        lock (_lock)
        {
            var start = 0L;
            foreach (var sample in _samples)
            {
                if (sample.LatestBefore >= time)
                {
                    break;
                }

                start = sample.Offset;
            }

            return start;
        }
    }

    /// <summary>Forgets records below <paramref name="low"/>, which retention has deleted.</summary>
    public void TrimBelow(long low)
    {
        lock (_lock)
        {
            _samples.RemoveAll(sample => sample.Offset < low);
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

    /// <param name="LatestBefore">The latest timestamp of the records before <paramref name="Offset"/>.</param>
    private readonly record struct TimeSample(long Offset, DateTime LatestBefore);
}
