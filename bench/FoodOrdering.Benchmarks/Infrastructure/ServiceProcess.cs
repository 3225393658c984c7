using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using FoodOrdering.Benchmarks.Measurement;

namespace FoodOrdering.Benchmarks.Infrastructure;

/// <summary>
/// A service run as deployed: <c>dotnet FoodOrdering.X.dll</c> from its Release build, in its own process (its own
/// GC, thread pool, CPU time and memory), configured by environment variables as the AppHost does, its HTTP
/// endpoints on a free loopback port. Ready once <c>/health</c> answers 200; stopped with SIGTERM, so it shuts down
/// as under an orchestrator (consumers closed, producers flushed), and killed only if it does not exit in time.
/// </summary>
internal sealed class ServiceProcess : ServiceUnderTest
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    // Environment the benchmark itself may have been given that would change a service: telemetry export (the
    // in-process services have none either), a development environment, connection strings meant for something else.
    private static readonly string[] NotInherited = ["OTEL_", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "ConnectionStrings__"];

    // Left running when the benchmark dies, a service would keep a port and a core busy.
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly TextWriter _log;

    static ServiceProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    };

    private ServiceProcess(string name, Process process, Uri baseAddress, TextWriter log)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        _log = log;
    }

    public override string Name { get; }

    public override Uri? BaseAddress { get; }

    public override ResourceSampler StartSampling() =>
        new(new MeasuredProcess(Process.GetProcessById(_process.Id), $"{Name}'s own process", isThisProcess: false), ownsProcess: true);

    public static async Task<ServiceProcess> StartAsync(string project, IReadOnlyDictionary<string, string?> configuration, TextWriter log)
    {
        var assembly = await ReleaseBuild.AssemblyAsync(project, log);
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly },
            // The content root, so the service reads its own appsettings.json as when deployed.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(key => NotInherited.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        foreach (var (key, value) in configuration)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var shortName = project[(project.LastIndexOf('.') + 1)..].ToLowerInvariant();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Forward(log, shortName, line.Data);
        process.ErrorDataReceived += (_, line) => Forward(log, shortName, line.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(project, process, baseAddress, log);
        try
        {
            await service.WaitUntilHealthyAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        log.WriteLine($"  {project} runs as process {process.Id} ({assembly}), {baseAddress}");
        return service;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            if (!OperatingSystem.IsWindows())
            {
                _ = Kill(_process.Id, SigTerm);
            }
            else
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _log.WriteLine($"  {Name} did not stop within {StopTimeout.TotalSeconds:0} s of SIGTERM; killing it");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was healthy; its output is above.");
            }

            try
            {
                using var response = await client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetElapsedTime(started) > ReadyTimeout)
            {
                throw new TimeoutException($"{Name} was not healthy (GET /health → 200) within {ReadyTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(200);
        }
    }

    private static void Forward(TextWriter log, string service, string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            log.WriteLine($"  [{service}] {line}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
