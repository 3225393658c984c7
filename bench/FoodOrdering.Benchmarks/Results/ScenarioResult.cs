using FoodOrdering.Benchmarks.Measurement;

namespace FoodOrdering.Benchmarks.Results;

/// <summary>One measured phase of a scenario.</summary>
/// <param name="Rate">Orders per second: sustained (first to last arrival) for a backlog, as offered for a steady stream.</param>
/// <param name="Latency">What the latency measures is in <paramref name="LatencyFrom"/>.</param>
internal sealed record ScenarioResult(
    string Scenario,
    string Phase,
    int Orders,
    double Seconds,
    double Rate,
    LatencySummary? Latency,
    string LatencyFrom,
    ResourceUsage Resources,
    Correctness Correctness,
    IReadOnlyDictionary<string, string?> Settings);
