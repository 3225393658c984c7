namespace FoodOrdering.Embedded.Measurement;

/// <summary>
/// Counts, by order id, what arrived for each expected order: the first arrival counts as delivered, any later
/// one as a duplicate, and an id nobody expected as unexpected. Written by one thread; read from any.
/// </summary>
internal sealed class DeliveryTally(int capacity = 0)
{
    private readonly Dictionary<Guid, int> _arrivals = new(capacity);
    private int _expected;
    private int _delivered;
    private int _duplicates;
    private int _unexpected;

    public int Expected => Volatile.Read(ref _expected);

    /// <summary>Draws <paramref name="count"/> messages from <paramref name="next"/>, with a tally expecting each one.</summary>
    public static (List<T> Messages, DeliveryTally Tally) Expecting<T>(int count, Func<T> next, Func<T, Guid> orderId)
    {
        var messages = new List<T>(count);
        var tally = new DeliveryTally(count);
        for (var i = 0; i < count; i++)
        {
            var message = next();
            messages.Add(message);
            tally.Expect(orderId(message));
        }

        return (messages, tally);
    }

    public int Delivered => Volatile.Read(ref _delivered);

    public int Duplicates => Volatile.Read(ref _duplicates);

    public int Unexpected => Volatile.Read(ref _unexpected);

    public int Missing => Expected - Delivered;

    public bool Complete => Delivered == Expected;

    /// <summary>Must be called (on the recording thread, or before recording starts) before the order's arrival is recorded.</summary>
    public void Expect(Guid orderId)
    {
        if (_arrivals.TryAdd(orderId, 0))
        {
            Interlocked.Increment(ref _expected);
        }
    }

    /// <summary>Returns true for the first arrival of an expected order.</summary>
    public bool Record(Guid orderId)
    {
        if (!_arrivals.TryGetValue(orderId, out var arrivals))
        {
            Interlocked.Increment(ref _unexpected);
            return false;
        }

        _arrivals[orderId] = arrivals + 1;
        if (arrivals == 0)
        {
            Interlocked.Increment(ref _delivered);
            return true;
        }

        Interlocked.Increment(ref _duplicates);
        return false;
    }

    public Correctness ToCorrectness() => new(Expected, Delivered, Missing, Duplicates, Unexpected);
}

/// <summary>Exactly once by order id: nothing missing, nothing twice, nothing unknown.</summary>
internal sealed record Correctness(int Expected, int Delivered, int Missing, int Duplicates, int Unexpected)
{
    public bool Passed => Missing == 0 && Duplicates == 0 && Unexpected == 0;
}
