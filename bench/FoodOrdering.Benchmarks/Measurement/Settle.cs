namespace FoodOrdering.Benchmarks.Measurement;

/// <summary>Before a phase's clock starts.</summary>
internal static class Settle
{
    /// <summary>
    /// Collects the orders a phase just made into the oldest generation now, so promoting them does not pause this
    /// process's reader once the clock runs: such a pause is measured as the service's latency
    /// (bench/README.md#round-2-issue-15-measured-figures, the 20,000 orders/s row).
    /// </summary>
    public static void Heap() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
}
