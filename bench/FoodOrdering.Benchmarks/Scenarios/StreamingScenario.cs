using FoodOrdering.Benchmarks.Infrastructure;
using FoodOrdering.Benchmarks.Load;
using FoodOrdering.Benchmarks.Results;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>
/// Transactions already running (warmed up), then <c>--orders</c> orders produced as fast as the benchmark's producer
/// goes: orders/s from the first order sent to the last outcome, the rate they were produced at, placed → outcome
/// latency, and exactly-once, all in the same run. Unlike the backlog, producing and pricing overlap, as in production.
/// </summary>
internal sealed class StreamingScenario(BenchmarkOptions options, TextWriter log)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        // Sized as for a preload of the same orders: should the service fall behind, its backlog must still fit the mock's partitions.
        using var kafka = BenchmarkKafka.Start(options, OrderSource.EstimateOrderBytes(options.Seed, options.Orders));
        await using var service = await ServiceHosts.StartTransactionsAsync(options, kafka, log);
        var phases = new TransactionsPhases(options, kafka, service, new OrderSource(options.Seed), log);
        await phases.WarmUpAsync();
        return [await phases.AsFastAsProducedAsync(BenchmarkOptions.Streaming, options.Orders)];
    }
}
