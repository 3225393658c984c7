using System.Diagnostics;

namespace FoodOrdering.Benchmarks.Measurement;

/// <summary>
/// The process whose CPU time and memory a phase reports: the benchmark's own (in-process hosting: the services,
/// the broker and the load together) or one service's (process hosting). Memory is the resident set (VmRSS) and
/// its high-water mark (VmHWM) as /proc reports them, read through <see cref="Process"/>; the managed heap is
/// known only for this process.
/// </summary>
internal sealed class MeasuredProcess(Process process, string description, bool isThisProcess) : IDisposable
{
    public static MeasuredProcess This() =>
        new(Process.GetCurrentProcess(), "the benchmark's process: the services, the embedded broker and the load together", isThisProcess: true);

    public string Description { get; } = description;

    public bool IsThisProcess => isThisProcess;

    public MemoryReading Read()
    {
        process.Refresh();
        return new MemoryReading(
            process.TotalProcessorTime,
            process.WorkingSet64,
            process.PeakWorkingSet64,
            IsThisProcess ? GC.GetGCMemoryInfo().HeapSizeBytes : null);
    }

    public void Dispose() => process.Dispose();
}

/// <param name="Rss">Resident set now (VmRSS).</param>
/// <param name="HighWaterMark">The largest resident set since the process started (VmHWM).</param>
/// <param name="ManagedHeap">The managed heap, when the process is this one.</param>
internal sealed record MemoryReading(TimeSpan Cpu, long Rss, long HighWaterMark, long? ManagedHeap);
