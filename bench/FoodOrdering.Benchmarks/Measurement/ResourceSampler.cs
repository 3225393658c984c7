using System.Diagnostics;

namespace FoodOrdering.Benchmarks.Measurement;

/// <summary>
/// CPU time and memory of this process over one phase: the CPU time delta, and the peak working set and managed
/// heap sampled every 50 ms. Everything runs in this one process (services, embedded broker, load generator), so
/// these are the process's figures, not one service's.
/// </summary>
internal sealed class ResourceSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly Process _process = Process.GetCurrentProcess();
    private readonly TimeSpan _cpuAtStart;
    private readonly int _gen2AtStart = GC.CollectionCount(2);
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private long _peakWorkingSet;
    private long _peakManagedHeap;

    public ResourceSampler()
    {
        _process.Refresh();
        _cpuAtStart = _process.TotalProcessorTime;
        StartingWorkingSet = _process.WorkingSet64;
        Sample();
        _timer = new Timer(_ => Sample(), null, Interval, Interval);
    }

    public long StartingWorkingSet { get; }

    public ResourceUsage Stop()
    {
        _timer.Dispose();
        Sample();
        _process.Refresh();
        lock (_lock)
        {
            return new ResourceUsage(
                (_process.TotalProcessorTime - _cpuAtStart).TotalSeconds,
                Megabytes(StartingWorkingSet),
                Megabytes(_peakWorkingSet),
                Megabytes(_peakManagedHeap),
                GC.CollectionCount(2) - _gen2AtStart);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _process.Dispose();
    }

    private void Sample()
    {
        lock (_lock)
        {
            _process.Refresh();
            _peakWorkingSet = Math.Max(_peakWorkingSet, _process.WorkingSet64);
            _peakManagedHeap = Math.Max(_peakManagedHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
        }
    }

    private static double Megabytes(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);
}

/// <param name="CpuSeconds">CPU time of the whole process during the phase (services, broker, load generator).</param>
/// <param name="StartWorkingSetMb">The process's working set when the phase began (broker data, loaded assemblies).</param>
/// <param name="PeakWorkingSetMb">The process's largest working set sampled during the phase.</param>
/// <param name="PeakManagedHeapMb">The largest managed heap sampled: the services' .NET objects (the broker is native).</param>
internal sealed record ResourceUsage(double CpuSeconds, double StartWorkingSetMb, double PeakWorkingSetMb, double PeakManagedHeapMb, int Gen2Collections);
