using FoodOrdering.Benchmarks.Measurement;

namespace FoodOrdering.Benchmarks.Results;

/// <summary>The soak's memory: each service's resident set over time, and whether it levels off.</summary>
internal sealed record SoakReport(double Minutes, int OrdersPerSecond, double SampleIntervalSeconds, IReadOnlyList<ServiceMemory> Services);

/// <param name="Process">Whose memory this is (with in-process hosting, the benchmark's whole process).</param>
internal sealed record ServiceMemory(string Service, string Process, IReadOnlyList<MemorySample> Samples, MemoryVerdict Verdict);
