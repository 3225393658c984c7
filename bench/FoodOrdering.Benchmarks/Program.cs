using System.Runtime;
using FoodOrdering.Benchmarks;
using FoodOrdering.Benchmarks.Results;
using FoodOrdering.Benchmarks.Scenarios;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// The reader that timestamps outcomes runs in this process, so a blocking collection here is measured as the
// service's latency: full collections run in the background unless memory runs short.
GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;

var results = new List<ScenarioResult>();
SoakReport? soak = null;
foreach (var scenario in options.Scenarios)
{
    Console.WriteLine($"{scenario}: {options.Orders:N0} orders, services {(options.Hosting == ServiceHosting.Process ? "each in its own process" : "in this process")}");
    results.AddRange(scenario switch
    {
        BenchmarkOptions.Transactions => await new TransactionsScenario(options, Console.Out).RunAsync(),
        BenchmarkOptions.Emails => await new EmailsScenario(options, Console.Out).RunAsync(),
        BenchmarkOptions.Streaming => await new StreamingScenario(options, Console.Out).RunAsync(),
        BenchmarkOptions.Sweep => await new SweepScenario(options, Console.Out).RunAsync(),
        BenchmarkOptions.Soak => await RunSoakAsync(),
        _ => await new ApiScenario(options, Console.Out).RunAsync(),
    });
}

var chartBase = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Output))!, Path.GetFileNameWithoutExtension(options.Output));
var charts = new List<string>();
if (results.Where(result => result.Scenario == BenchmarkOptions.Sweep).ToList() is { Count: > 0 } sweep)
{
    charts.AddRange(LatencyCurveChart.Write(sweep, chartBase + "-latency-curve"));
}

if (soak is not null)
{
    charts.AddRange(SoakMemoryChart.Write(soak, chartBase + "-soak-memory"));
}

Console.WriteLine();
ResultsReport.PrintTable(results, Console.Out);
ResultsReport.WriteJson(new BenchmarkRun(DateTimeOffset.UtcNow, Environment.MachineName, Environment.ProcessorCount,
    System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    options.Bootstrap ?? "embedded (librdkafka mock cluster, in the benchmark's process)",
    options.Hosting == ServiceHosting.Process ? "process: each service in its own process" : "inprocess: the services in the benchmark's process",
    args, results, soak, charts), options.Output);
Console.WriteLine($"Results written to {Path.GetFullPath(options.Output)}");
foreach (var chart in charts)
{
    Console.WriteLine($"Chart written to {chart}");
}

var failed = results.Where(result => !result.Correctness.Passed).ToList();
foreach (var result in failed)
{
    Console.Error.WriteLine($"Correctness check failed: {result.Scenario} {result.Phase}: {result.Correctness}");
}

return failed.Count == 0 ? 0 : 1;

async Task<IReadOnlyList<ScenarioResult>> RunSoakAsync()
{
    var scenario = new SoakScenario(options, Console.Out);
    var soakResults = await scenario.RunAsync();
    soak = scenario.Report;
    return soakResults;
}
