using System.Diagnostics;
using System.Globalization;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>
/// Waits for a count to reach its target, printing how far it is, how fast it goes and when it should be done, and
/// gives up when it stops moving.
/// </summary>
internal static class Progress
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    /// <returns>False when the count stalled short of the target.</returns>
    public static async Task<bool> WaitAsync(string what, Func<int> count, int target, TextWriter log)
    {
        var started = Stopwatch.GetTimestamp();
        var atStart = count();
        var lastCount = -1;
        var lastMove = started;
        var lastReport = started;
        var countAtLastReport = atStart;
        while (true)
        {
            var now = count();
            if (now >= target)
            {
                return true;
            }

            if (now != lastCount)
            {
                lastCount = now;
                lastMove = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastMove) > Stall)
            {
                log.WriteLine($"  {what}: stalled at {now:N0} of {target:N0} for {Stall.TotalSeconds:0} s; giving up");
                return false;
            }

            if (Stopwatch.GetElapsedTime(lastReport) is var sinceReport && sinceReport > ReportEvery)
            {
                lastReport = Stopwatch.GetTimestamp();
                var recentRate = (now - countAtLastReport) / sinceReport.TotalSeconds;
                countAtLastReport = now;
                log.WriteLine(Line(what, now, target, recentRate, Stopwatch.GetElapsedTime(started), (now - atStart) / Stopwatch.GetElapsedTime(started).TotalSeconds));
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// One progress line: done of target, the rate over the last interval, and an ETA at the average rate so far
    /// (the last interval alone swings with every GC and batch).
    /// </summary>
    internal static string Line(string what, int done, int target, double recentRate, TimeSpan elapsed, double averageRate)
    {
        var percent = target > 0 ? 100.0 * done / target : 100;
        var eta = averageRate > 0 ? Duration(TimeSpan.FromSeconds((target - done) / averageRate)) : "unknown";
        return string.Create(CultureInfo.InvariantCulture,
            $"  {what}: {done:N0} of {target:N0} ({percent:0}%), {recentRate:N0}/s, {Duration(elapsed)} so far, ETA {eta}");
    }

    /// <summary>A time-boxed run (the soak): elapsed of total, what got done and its rate.</summary>
    internal static string TimedLine(string what, TimeSpan elapsed, TimeSpan total, int done, double recentRate) =>
        string.Create(CultureInfo.InvariantCulture,
            $"  {what}: {Duration(elapsed)} of {Duration(total)}, {done:N0} orders, {recentRate:N0}/s, ETA {Duration(total - elapsed < TimeSpan.Zero ? TimeSpan.Zero : total - elapsed)}");

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s"
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0}s");
}
