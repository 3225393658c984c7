namespace FoodOrdering.Benchmarks;

/// <summary>Where the services under test run.</summary>
internal enum ServiceHosting
{
    /// <summary>Their registrations in a host inside the benchmark's process, next to the broker and the load.</summary>
    InProcess,

    /// <summary>Each as its own process, from its Release build, as deployed: its own GC, thread pool, CPU and memory.</summary>
    Process,
}
