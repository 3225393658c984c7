using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// Emails and the analytics indexer killed without warning (SIGKILL, a real child process) three times while
/// orders stream in, then restarted: every order is emailed and every order line indexed. Both are
/// at-least-once, so repeats are counted and reported; the index's deterministic ids make them 409s (already there).
/// One class per service, so the two run side by side.
/// </summary>
public abstract class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 3;
    protected static readonly TimeSpan Timeout = TestTimeouts.Recovery;

    protected ITestOutputHelper Output { get; } = output;

    private protected async Task KillRepeatedlyAsync(
        string service, InProcessPipeline pipeline, Dictionary<string, string> settings, Func<int> progress, Task publishing)
    {
        for (var kill = 1; kill <= Kills; kill++)
        {
            using var worker = ServiceProcess.Start(service, pipeline.Kafka.BootstrapServers, settings);
            var target = progress() + 150;
            await Eventually.WaitUntilAsync(() => progress() >= target, Timeout, () => $"{progress()} of {target} before kill {kill}");
            worker.Kill();
            Output.WriteLine($"{service} killed at {progress()}");
            Assert.False(publishing.IsCompleted, $"publishing failed before kill {kill}: {publishing.Exception}");
        }
    }
}
