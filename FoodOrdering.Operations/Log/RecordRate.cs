namespace FoodOrdering.Operations.Log;

/// <summary>Records per second over the last minute, by the records' own timestamps, so a replay of old records is not a burst.</summary>
internal sealed class RecordRate
{
    private const int Seconds = 60;
    private readonly long[] _second = new long[Seconds];
    private readonly long[] _count = new long[Seconds];
    private readonly Lock _lock = new();

    public void Add(DateTimeOffset timestamp, DateTimeOffset now)
    {
        var second = timestamp.ToUnixTimeSeconds();
        var current = now.ToUnixTimeSeconds();
        if (second <= current - Seconds || second > current)
        {
            return;
        }

        lock (_lock)
        {
            var slot = (int)(second % Seconds);
            if (_second[slot] != second)
            {
                _second[slot] = second;
                _count[slot] = 0;
            }

            _count[slot]++;
        }
    }

    public double PerSecond(DateTimeOffset now)
    {
        var current = now.ToUnixTimeSeconds();
        lock (_lock)
        {
            long total = 0;
            for (var slot = 0; slot < Seconds; slot++)
            {
                if (_second[slot] > current - Seconds && _second[slot] <= current)
                {
                    total += _count[slot];
                }
            }

            return total / (double)Seconds;
        }
    }
}
