using FoodOrdering.Benchmarks.Results;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>When the sweep has gone far enough: higher rates would only queue longer, or could lose the run's correctness check.</summary>
internal static class SweepStopRule
{
    /// <summary>Past this p99 the service is queueing, not keeping up: the curve's knee is behind.</summary>
    public const double P99Limit = 1_000;

    /// <returns>Why the sweep stops after this rate, or null to go on.</returns>
    public static string? StopAfter(ScenarioResult result) =>
        !result.Correctness.Passed ? $"the correctness check failed ({result.Correctness})"
        : result.Latency is not { } latency ? "no outcome was seen"
        : latency.P99 > P99Limit ? $"p99 {latency.P99:N0} ms passed {P99Limit:N0} ms"
        : null;
}
