using FoodOrdering.Benchmarks.Infrastructure;
using FoodOrdering.Benchmarks.Load;
using FoodOrdering.Benchmarks.Results;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>
/// The latency–throughput curve of Transactions: the steady phase at each of <c>--sweep</c>'s rates in turn, against
/// one running (warmed-up) service, until <see cref="SweepStopRule"/> says the service is past what it sustains.
/// </summary>
internal sealed class SweepScenario(BenchmarkOptions options, TextWriter log)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        using var kafka = BenchmarkKafka.Start(options, OrderSource.EstimateOrderBytes(options.Seed, options.Orders));
        await using var service = await ServiceHosts.StartTransactionsAsync(options, kafka, log);
        var phases = new TransactionsPhases(options, kafka, service, new OrderSource(options.Seed), log);
        await phases.WarmUpAsync();

        var results = new List<ScenarioResult>();
        foreach (var rate in options.SweepRates)
        {
            log.WriteLine($"  sweep: {rate:N0} orders/s for {options.RateDuration.TotalSeconds:0} s");
            var result = await phases.SteadyAsync(BenchmarkOptions.Sweep, rate);
            results.Add(result);
            if (SweepStopRule.StopAfter(result) is { } reason)
            {
                log.WriteLine($"  sweep stops after {rate:N0}/s: {reason}");
                break;
            }
        }

        return results;
    }
}
