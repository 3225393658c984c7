namespace FoodOrdering.Operations.Audit;

/// <summary>The newest audit records as the tail read them from <c>operations.audit</c>; the topic keeps them all.</summary>
internal sealed class AuditLog
{
    private const int Kept = 1_000;
    private readonly LinkedList<AuditEntry> _entries = new();
    private readonly Lock _lock = new();

    public void Add(AuditEntry entry)
    {
        lock (_lock)
        {
            _entries.AddFirst(entry);
            if (_entries.Count > Kept)
            {
                _entries.RemoveLast();
            }
        }
    }

    public IReadOnlyList<AuditEntry> Newest(int count)
    {
        lock (_lock)
        {
            return [.. _entries.Take(count)];
        }
    }
}
