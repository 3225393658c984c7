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

var run = new BenchmarkRun(DateTimeOffset.UtcNow, Environment.MachineName, Environment.ProcessorCount,
    System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    options.Bootstrap ?? "embedded (librdkafka mock cluster, in this process)", args, []);
var results = new List<ScenarioResult>();
foreach (var scenario in options.Scenarios)
{
    Console.WriteLine($"{scenario}: {options.Orders:N0} orders");
    results.AddRange(scenario switch
    {
        BenchmarkOptions.Transactions => await new TransactionsScenario(options, Console.Out).RunAsync(),
        BenchmarkOptions.Emails => await new EmailsScenario(options, Console.Out).RunAsync(),
        _ => await new ApiScenario(options, Console.Out).RunAsync(),
    });
}

Console.WriteLine();
ResultsReport.PrintTable(results, Console.Out);
ResultsReport.WriteJson(results, run, options.Output);
Console.WriteLine($"Results written to {Path.GetFullPath(options.Output)}");

var failed = results.Where(result => !result.Correctness.Passed).ToList();
foreach (var result in failed)
{
    Console.Error.WriteLine($"Correctness check failed: {result.Scenario} {result.Phase}: {result.Correctness}");
}

return failed.Count == 0 ? 0 : 1;
