using System.Diagnostics;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A FoodOrdering service as a real child process, so a test can kill it without warning (SIGKILL): no finally
/// block, no flush, no abort runs in it, exactly as when a machine dies.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    public const string Transactions = "FoodOrdering.Transactions";
    public const string Emails = "FoodOrdering.Emails";
    public const string Operations = "FoodOrdering.Operations";

    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process) => _process = process;

    /// <summary>
    /// Completes once the host has started, and with it its SIGTERM handling: a SIGTERM sent earlier ends the
    /// process the hard way (exit code 143), which is not what a graceful-stop test means to exercise.
    /// </summary>
    public Task Started => _started.Task;

    public static ServiceProcess Start(string service, string bootstrapServers, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, $"{service}.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment[$"ConnectionStrings__{ConnectionNames.Kafka}"] = bootstrapServers;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        // A killed member holds its partitions until its session times out; keep that short so the test is too.
        start.Environment["Aspire__Confluent__Kafka__Consumer__Config__SessionTimeoutMs"] = "3000";
        start.Environment["Aspire__Confluent__Kafka__Consumer__Config__HeartbeatIntervalMs"] = "300";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var child = new ServiceProcess(process);
        // Drain the pipes so a chatty child never blocks on a full buffer.
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            child._output.Enqueue(line.Data);
            if (line.Data.Contains("Application started", StringComparison.Ordinal))
            {
                child._started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>How many lines the service wrote to its console (warnings and up, and the host's lifetime) contain <paramref name="text"/>.</summary>
    public int LinesContaining(string text) => _output.Count(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>SIGKILL, and wait until the process is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as an orchestrator stops a service; returns the exit code once the process has ended.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
