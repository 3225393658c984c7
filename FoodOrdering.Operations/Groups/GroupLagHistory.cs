using System.Collections.Concurrent;

namespace FoodOrdering.Operations.Groups;

/// <summary>Each group's total lag every <see cref="Interval"/> over the last half hour, for the lag-over-time chart.</summary>
internal sealed partial class GroupLagHistory(ConsumerGroupReader groups, TimeProvider time, ILogger<GroupLagHistory> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private const int Points = 360;

    private readonly ConcurrentDictionary<string, Queue<LagPoint>> _history = new(StringComparer.Ordinal);

    public IReadOnlyList<LagPoint> Of(string group)
    {
        if (!_history.TryGetValue(group, out var points))
        {
            return [];
        }

        lock (points)
        {
            return [.. points];
        }
    }

    public void Record(string group, long lag)
    {
        var points = _history.GetOrAdd(group, _ => new Queue<LagPoint>());
        lock (points)
        {
            points.Enqueue(new LagPoint(time.GetUtcNow(), lag));
            while (points.Count > Points)
            {
                points.Dequeue();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var group in await groups.ListAsync())
                {
                    Record(group, groups.Lag(await groups.CommittedAsync(group)).Sum(topic => topic.Lag));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSampleFailed(logger, e.GetType().Name, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Consumer group lag could not be sampled ({Error}: {Reason}); the next sample tries again")]
    private static partial void LogSampleFailed(ILogger logger, string error, string reason);
}
