namespace FoodOrdering.AppHost;

/// <summary>
/// How many times each service may be restarted after a crash within a sliding window: enough to ride out a killed
/// process, bounded so that one that fails at every start is left stopped and said so instead of restarted for ever.
/// </summary>
internal sealed class CrashRestartBudget(int maxRestarts, TimeSpan window, TimeProvider time)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _restarts = [];

    /// <summary>Takes one restart of <paramref name="resource"/> if its window has one left; <paramref name="used"/> counts it.</summary>
    public bool TryTake(string resource, out int used)
    {
        var now = time.GetUtcNow();
        if (!_restarts.TryGetValue(resource, out var recent))
        {
            _restarts[resource] = recent = new Queue<DateTimeOffset>();
        }

        while (recent.TryPeek(out var oldest) && now - oldest >= window)
        {
            recent.Dequeue();
        }

        if (recent.Count >= maxRestarts)
        {
            used = recent.Count;
            return false;
        }

        recent.Enqueue(now);
        used = recent.Count;
        return true;
    }
}
