namespace FoodOrdering.Benchmarks.Measurement;

/// <summary>
/// CPU time and memory of one process over one phase: the CPU time delta, and the peak resident set (and managed
/// heap, for this process) sampled every 50 ms. Which process, and so whose figures they are, is in
/// <see cref="ResourceUsage.Process"/>.
/// </summary>
internal sealed class ResourceSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly MeasuredProcess _process;
    private readonly bool _ownsProcess;
    private readonly TimeSpan _cpuAtStart;
    private readonly int _gen2AtStart = GC.CollectionCount(2);
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private long _peakWorkingSet;
    private long? _peakManagedHeap;
    private long _highWaterMark;

    /// <summary>Samples the benchmark's own process.</summary>
    public ResourceSampler()
        : this(MeasuredProcess.This(), ownsProcess: true)
    {
    }

    public ResourceSampler(MeasuredProcess process, bool ownsProcess = false)
    {
        _process = process;
        _ownsProcess = ownsProcess;
        var start = process.Read();
        _cpuAtStart = start.Cpu;
        StartingWorkingSet = start.Rss;
        Sample();
        _timer = new Timer(_ => Sample(), null, Interval, Interval);
    }

    public long StartingWorkingSet { get; }

    /// <summary>The resident set now, in MB; 0 once the process has exited.</summary>
    public double CurrentRssMb()
    {
        try
        {
            return Megabytes(_process.Read().Rss);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    public ResourceUsage Stop()
    {
        _timer.Dispose();
        Sample();
        var end = _process.Read();
        lock (_lock)
        {
            return new ResourceUsage(
                _process.Description,
                (end.Cpu - _cpuAtStart).TotalSeconds,
                Megabytes(StartingWorkingSet),
                Megabytes(_peakWorkingSet),
                _peakManagedHeap is { } heap ? Megabytes(heap) : null,
                Megabytes(_highWaterMark),
                _process.IsThisProcess ? GC.CollectionCount(2) - _gen2AtStart : null);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        if (_ownsProcess)
        {
            _process.Dispose();
        }
    }

    private void Sample()
    {
        lock (_lock)
        {
            MemoryReading reading;
            try
            {
                reading = _process.Read();
            }
            catch (InvalidOperationException)
            {
                // The service process has exited; the phase reports what was sampled while it ran.
                return;
            }

            _peakWorkingSet = Math.Max(_peakWorkingSet, reading.Rss);
            _highWaterMark = Math.Max(_highWaterMark, reading.HighWaterMark);
            if (reading.ManagedHeap is { } heap)
            {
                _peakManagedHeap = Math.Max(_peakManagedHeap ?? 0, heap);
            }
        }
    }

    internal static double Megabytes(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);
}

/// <param name="Process">Whose figures these are: the benchmark's whole process, or one service's own.</param>
/// <param name="CpuSeconds">CPU time of that process during the phase.</param>
/// <param name="StartWorkingSetMb">Its resident set when the phase began.</param>
/// <param name="PeakWorkingSetMb">Its largest resident set sampled during the phase.</param>
/// <param name="PeakManagedHeapMb">The largest managed heap sampled; only for the benchmark's own process (in-process hosting).</param>
/// <param name="HighWaterMarkMb">The largest resident set since that process started (VmHWM), startup and earlier phases included.</param>
/// <param name="Gen2Collections">Gen 2 collections during the phase; only for the benchmark's own process (in-process hosting).</param>
internal sealed record ResourceUsage(
    string Process, double CpuSeconds, double StartWorkingSetMb, double PeakWorkingSetMb, double? PeakManagedHeapMb, double HighWaterMarkMb, int? Gen2Collections);
