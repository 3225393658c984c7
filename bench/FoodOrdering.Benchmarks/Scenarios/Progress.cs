using System.Diagnostics;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>Waits for a count to reach its target, printing progress, and gives up when it stops moving.</summary>
internal static class Progress
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    /// <returns>False when the count stalled short of the target.</returns>
    public static async Task<bool> WaitAsync(string what, Func<int> count, int target, TextWriter log)
    {
        var lastCount = -1;
        var lastMove = Stopwatch.GetTimestamp();
        var lastReport = Stopwatch.GetTimestamp();
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

            if (Stopwatch.GetElapsedTime(lastReport) > ReportEvery)
            {
                lastReport = Stopwatch.GetTimestamp();
                log.WriteLine($"  {what}: {now:N0} of {target:N0}");
            }

            await Task.Delay(10);
        }
    }
}
