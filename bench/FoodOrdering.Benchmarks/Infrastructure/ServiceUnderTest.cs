using FoodOrdering.Benchmarks.Measurement;

namespace FoodOrdering.Benchmarks.Infrastructure;

/// <summary>A running service: in the benchmark's process (<see cref="InProcessService"/>) or its own (<see cref="ServiceProcess"/>).</summary>
internal abstract class ServiceUnderTest : IAsyncDisposable
{
    /// <summary>The project's name, e.g. FoodOrdering.Transactions.</summary>
    public abstract string Name { get; }

    /// <summary>Where its HTTP endpoints answer, for a service whose endpoints the scenario calls.</summary>
    public abstract Uri? BaseAddress { get; }

    /// <summary>Starts sampling the CPU and memory that this service's figures are: its own process's, or the whole benchmark's.</summary>
    public abstract ResourceSampler StartSampling();

    public abstract ValueTask DisposeAsync();
}
