using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FoodOrdering.Benchmarks.Results;

/// <summary>The results as a table on the console and as JSON in a file.</summary>
internal static class ResultsReport
{
    public static void PrintTable(IReadOnlyList<ScenarioResult> results, TextWriter output)
    {
        var rows = new List<string[]>
        {
            new[] { "scenario", "phase", "orders", "orders/s", "offered/s", "p50 ms", "p95 ms", "p99 ms", "CPU s", "peak MB", "heap MB", "exactly once" },
        };
        rows.AddRange(results.Select(result => new[]
        {
            result.Scenario,
            result.Phase,
            result.Orders.ToString("N0", CultureInfo.InvariantCulture),
            result.Rate.ToString("N0", CultureInfo.InvariantCulture),
            result.OfferedRate?.ToString("N0", CultureInfo.InvariantCulture) ?? "-",
            Milliseconds(result.Latency?.P50),
            Milliseconds(result.Latency?.P95),
            Milliseconds(result.Latency?.P99),
            result.Resources.CpuSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            result.Resources.PeakWorkingSetMb.ToString("0", CultureInfo.InvariantCulture),
            result.Resources.PeakManagedHeapMb?.ToString("0", CultureInfo.InvariantCulture) ?? "-",
            result.Correctness.Passed
                ? "yes"
                : $"NO: {result.Correctness.Missing} missing, {result.Correctness.Duplicates} twice, {result.Correctness.Unexpected} unknown",
        }));

        var widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, column) => column < 2 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))));
        }

        output.WriteLine();
        output.WriteLine("orders/s: done per second (a backlog: first outcome to last; a stream: first order sent to last outcome; api and soak: accepted); offered/s: as put on the input topic or the API.");
        output.WriteLine("Latency: placed (the order's placedAt) -> the benchmark sees the outcome; see latencyFrom in the JSON.");
        foreach (var process in results.Select(result => result.Resources.Process).Distinct())
        {
            output.WriteLine($"CPU s, peak MB (resident set) and heap MB (managed heap, this process only) of {string.Join(", ", results.Where(result => result.Resources.Process == process).Select(result => $"{result.Scenario} {result.Phase}").Distinct())}: {process}.");
        }
    }

    public static void WriteJson(BenchmarkRun run, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(run, ResultsJsonContext.Default.BenchmarkRun));
    }

    private static string Milliseconds(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-";
}

/// <summary>The JSON file: when and where the run happened, and each phase's results.</summary>
/// <param name="Hosting">Where the services ran: in the benchmark's process, or each in its own.</param>
/// <param name="Soak">The soak scenario's memory samples and verdicts, when it ran.</param>
/// <param name="Charts">The chart files written next to the JSON.</param>
internal sealed record BenchmarkRun(
    DateTimeOffset StartedAt, string Machine, int ProcessorCount, string Runtime, string Kafka, string Hosting, string[] Arguments,
    IReadOnlyList<ScenarioResult> Results, SoakReport? Soak = null, IReadOnlyList<string>? Charts = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchmarkRun))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
