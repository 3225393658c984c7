using FoodOrdering.Operations.Log;

namespace FoodOrdering.Operations.DeadLetters;

/// <summary>
/// Every dead letter the tail has read, and which of them are handled: re-driven (a record on its source topic
/// carries <see cref="RedriveHeaders.Of"/> naming it, or an audit record says so) or discarded (an audit record).
/// Marks come from the log itself, so a console that restarts, or runs twice, knows what is handled.
/// </summary>
internal sealed class DeadLetterIndex
{
    private readonly Dictionary<RecordCoordinates, DeadLetter> _letters = [];
    private readonly Dictionary<RecordCoordinates, Handled> _handled = [];
    private readonly Lock _lock = new();

    public void Add(DeadLetter letter)
    {
        lock (_lock)
        {
            _letters[letter.At] = letter;
        }
    }

    /// <summary>Marks a dead letter handled; the first mark wins, a later one (a repeat) changes nothing.</summary>
    public void MarkHandled(RecordCoordinates letter, string outcome, DateTimeOffset at, string? detail)
    {
        lock (_lock)
        {
            _handled.TryAdd(letter, new Handled(outcome, at, detail));
        }
    }

    public Handled? HandledAs(RecordCoordinates letter)
    {
        lock (_lock)
        {
            return _handled.TryGetValue(letter, out var handled) ? handled : null;
        }
    }

    public DeadLetter? Get(RecordCoordinates letter)
    {
        lock (_lock)
        {
            return _letters.GetValueOrDefault(letter);
        }
    }

    public IReadOnlyList<(DeadLetter Letter, Handled? Handled)> All()
    {
        lock (_lock)
        {
            return [.. _letters.Values.OrderBy(letter => letter.Timestamp).Select(letter => (letter, _handled.TryGetValue(letter.At, out var handled) ? handled : (Handled?)null))];
        }
    }

    /// <summary>How a dead letter was handled: an <see cref="Audit.AuditOutcomes"/> word, when, and where it went.</summary>
    internal sealed record Handled(string Outcome, DateTimeOffset At, string? Detail);
}
