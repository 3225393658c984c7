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
    private static readonly string[] OutcomeTopics = [Topics.OrdersConfirmed, Topics.OrdersRejected, Topics.DeadLetter(Topics.OrdersReceived)];

    // Records of a transaction cut off late would show up after the last expected one; give them time to be counted.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        using var kafka = BenchmarkKafka.Start(options, OrderSource.EstimateOrderBytes(options.Seed, options.Orders));
        var source = new OrderSource(options.Seed);

        var backlog = new DeliveryTally(options.Orders);
        var preloadFrom = kafka.EndOffsets(OutcomeTopics);
        KafkaLoad.Preload(kafka, Topics.OrdersReceived, options.Orders, source.NextOrder, order => order.OrderId,
            ContractsJsonContext.Default.OrderPlaced, backlog, log);

        var results = new List<ScenarioResult>();
        var sampler = new ResourceSampler();
        var hostStarted = Stopwatch.GetTimestamp();
        var host = await ServiceHosts.StartTransactionsAsync(kafka, options.Settings);
        try
        {
            using (var watcher = new TopicWatcher(kafka.BootstrapServers, preloadFrom, backlog))
            {
                await Progress.WaitAsync("priced", () => backlog.Delivered, backlog.Expected, log);
                var (first, last) = watcher.ArrivalWindow;
                await Task.Delay(Settle);
                var usage = sampler.Stop();
                var sustained = first == 0 ? 0 : Stopwatch.GetElapsedTime(first, last).TotalSeconds;
                log.WriteLine($"  backlog done {Stopwatch.GetElapsedTime(hostStarted).TotalSeconds:0.0} s after the service started (startup and group join included)");
                results.Add(new ScenarioResult(
                    BenchmarkOptions.Transactions, "backlog", options.Orders, sustained, sustained > 0 ? backlog.Delivered / sustained : 0,
                    null, "not measured: the backlog was placed before the service started", usage, backlog.ToCorrectness(), options.Settings));
            }

            results.Add(await RunSteadyAsync(kafka, source));
        }
        finally
        {
            sampler.Dispose();
            await ServiceHosts.StopAsync(host);
        }

        return results;
    }

    private async Task<ScenarioResult> RunSteadyAsync(BenchmarkKafka kafka, OrderSource source)
    {
        var count = (int)(options.Rate * options.RateDuration.TotalSeconds);
        var (orders, tally) = DeliveryTally.Expecting(count, source.NextOrder, order => order.OrderId);

        var latency = new LatencyRecorder();
        using var sampler = new ResourceSampler();
        using var watcher = new TopicWatcher(kafka.BootstrapServers, kafka.EndOffsets(OutcomeTopics), tally, latency);
        var started = Stopwatch.GetTimestamp();
        using (var load = KafkaLoad.ForStream(kafka.BootstrapServers))
        {
            await Task.Factory.StartNew(
                () => load.SendAtRate(Topics.OrdersReceived, orders, options.Rate, static (order, now) => (order.OrderId, order with { PlacedAt = now }), ContractsJsonContext.Default.OrderPlaced),
                TaskCreationOptions.LongRunning);
            load.Flush();
        }

        await Progress.WaitAsync("priced at a steady rate", () => tally.Delivered, count, log);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.Delay(Settle);
        return new ScenarioResult(
            BenchmarkOptions.Transactions, $"steady {options.Rate:N0}/s", count, seconds, options.Rate, latency.Summarize(),
            "the order's placedAt (set as the benchmark produces it) -> a read_committed consumer in the benchmark receives the confirmation or rejection",
            sampler.Stop(), tally.ToCorrectness(), options.Settings);
    }
}
