using System.Diagnostics;
using FoodOrdering.Benchmarks.Infrastructure;
using FoodOrdering.Benchmarks.Load;
using FoodOrdering.Benchmarks.Measurement;
using FoodOrdering.Benchmarks.Results;
using FoodOrdering.Contracts;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>
/// Transactions, exactly-once on: a backlog of received orders priced as fast as the service goes (sustained
/// orders/s), then a steady stream at <c>--rate</c> (placed → confirmed latency). Every order must come out on
/// <c>orders.confirmed</c> or <c>orders.rejected</c> exactly once, by order id.
/// </summary>
internal sealed class TransactionsScenario(BenchmarkOptions options, TextWriter log)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        using var kafka = BenchmarkKafka.Start(options, OrderSource.EstimateOrderBytes(options.Seed, options.Orders));
        var source = new OrderSource(options.Seed);

        var backlog = new DeliveryTally(options.Orders);
        var preloadFrom = kafka.EndOffsets(TransactionsPhases.OutcomeTopics);
        KafkaLoad.Preload(kafka, Topics.OrdersReceived, options.Orders, source.NextOrder, order => order.OrderId,
            ContractsJsonContext.Default.OrderPlaced, backlog, log);

        var results = new List<ScenarioResult>();
        var hostStarted = Stopwatch.GetTimestamp();
        await using var service = await ServiceHosts.StartTransactionsAsync(options, kafka, log);
        using (var sampler = service.StartSampling())
        using (var watcher = new TopicWatcher(kafka.BootstrapServers, preloadFrom, backlog))
        {
            await Progress.WaitAsync("priced", () => backlog.Delivered, backlog.Expected, log);
            var (first, last) = watcher.ArrivalWindow;
            await Task.Delay(TransactionsPhases.Settle);
            var usage = sampler.Stop();
            var sustained = first == 0 ? 0 : Stopwatch.GetElapsedTime(first, last).TotalSeconds;
            log.WriteLine($"  backlog done {Stopwatch.GetElapsedTime(hostStarted).TotalSeconds:0.0} s after the service started (startup and group join included)");
            results.Add(new ScenarioResult(
                BenchmarkOptions.Transactions, "backlog", options.Orders, sustained, sustained > 0 ? backlog.Delivered / sustained : 0, null,
                null, "not measured: the backlog was placed before the service started", usage, backlog.ToCorrectness(), options.Settings));
        }

        results.Add(await new TransactionsPhases(options, kafka, service, source, log).SteadyAsync(BenchmarkOptions.Transactions, options.Rate));
        return results;
    }
}
