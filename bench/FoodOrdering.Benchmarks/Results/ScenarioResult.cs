using FoodOrdering.Benchmarks.Measurement;

namespace FoodOrdering.Benchmarks.Results;

/// <summary>One measured phase of a scenario.</summary>
/// <param name="Rate">
/// Orders per second done: for a backlog from its first outcome to its last; for a stream (steady or streaming) from the
/// first order sent to the last outcome, so below <paramref name="OfferedRate"/> when the service falls behind.
/// </param>
/// <param name="OfferedRate">Orders per second put on the input topic: the steady rate asked for, or as fast as the benchmark's producer went; none for a backlog.</param>
/// <param name="Latency">What the latency measures is in <paramref name="LatencyFrom"/>.</param>
internal sealed record ScenarioResult(
    string Scenario,
    string Phase,
    int Orders,
    double Seconds,
    double Rate,
    double? OfferedRate,
    LatencySummary? Latency,
    string LatencyFrom,
    ResourceUsage Resources,
    Correctness Correctness,
    IReadOnlyDictionary<string, string?> Settings);
