using System.Diagnostics;
using FoodOrdering.Benchmarks.Infrastructure;
using FoodOrdering.Benchmarks.Load;
using FoodOrdering.Benchmarks.Measurement;
using FoodOrdering.Benchmarks.Results;
using FoodOrdering.Contracts;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>
/// The phases that stream orders into a running Transactions and read every outcome back with a
/// <c>read_committed</c> consumer: at a steady rate, or as fast as the benchmark's producer goes. Every order must
/// come out on <c>orders.confirmed</c>, <c>orders.rejected</c> or the dead letters exactly once, by order id.
/// </summary>
internal sealed class TransactionsPhases(BenchmarkOptions options, BenchmarkKafka kafka, ServiceUnderTest service, OrderSource source, TextWriter log)
{
    public static readonly string[] OutcomeTopics = [Topics.OrdersConfirmed, Topics.OrdersRejected, Topics.DeadLetter(Topics.OrdersReceived)];

    // Records of a transaction cut off late would show up after the last expected one; give them time to be counted.
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private const int WarmUpOrders = 1_000;

    private const string LatencyFrom =
        "the order's placedAt (set as the benchmark produces it) -> a read_committed consumer in the benchmark receives the confirmation or rejection";

    /// <summary>
    /// Puts a few orders through and waits for their outcomes, so that what follows does not measure the consumer
    /// group's join, the transactional producer's initialization or the JIT.
    /// </summary>
    public async Task WarmUpAsync()
    {
        var (orders, tally) = DeliveryTally.Expecting(WarmUpOrders, source.NextOrder, order => order.OrderId);
        using var watcher = new TopicWatcher(kafka.BootstrapServers, kafka.EndOffsets(OutcomeTopics), tally);
        using (var load = KafkaLoad.ForStream(kafka.BootstrapServers))
        {
            load.SendAtRate(Topics.OrdersReceived, orders, perSecond: null, static (order, now) => (order.OrderId, order with { PlacedAt = now }), ContractsJsonContext.Default.OrderPlaced);
            load.Flush();
        }

        if (!await Progress.WaitAsync("warm-up", () => tally.Delivered, tally.Expected, log))
        {
            throw new InvalidOperationException($"{service.Name} did not price the {WarmUpOrders:N0} warm-up orders.");
        }

        await Task.Delay(Settle);
    }

    /// <summary>Orders sent at <paramref name="rate"/> for <see cref="BenchmarkOptions.RateDuration"/>: placed → outcome latency.</summary>
    public Task<ScenarioResult> SteadyAsync(string scenario, int rate) =>
        StreamAsync(scenario, $"steady {rate:N0}/s", (int)(rate * options.RateDuration.TotalSeconds), rate);

    /// <summary><paramref name="count"/> orders sent as fast as the benchmark's producer goes, while the service runs.</summary>
    public Task<ScenarioResult> AsFastAsProducedAsync(string scenario, int count) =>
        StreamAsync(scenario, "as fast as produced", count, perSecond: null);

    private async Task<ScenarioResult> StreamAsync(string scenario, string phase, int count, int? perSecond)
    {
        var (orders, tally) = DeliveryTally.Expecting(count, source.NextOrder, order => order.OrderId);
        Measurement.Settle.Heap();
        var latency = new LatencyRecorder();
        using var sampler = service.StartSampling();
        using var watcher = new TopicWatcher(kafka.BootstrapServers, kafka.EndOffsets(OutcomeTopics), tally, latency);
        using var load = KafkaLoad.ForStream(kafka.BootstrapServers);
        var started = Stopwatch.GetTimestamp();
        var sending = Task.Factory.StartNew(() =>
        {
            load.SendAtRate(Topics.OrdersReceived, orders, perSecond, static (order, now) => (order.OrderId, order with { PlacedAt = now }), ContractsJsonContext.Default.OrderPlaced);
            load.Flush();
            return Stopwatch.GetElapsedTime(started);
        }, TaskCreationOptions.LongRunning);

        await Progress.WaitAsync(perSecond is null ? "priced as produced" : $"priced at {perSecond:N0}/s", () => tally.Delivered, count, log);
        var sendSeconds = (await sending).TotalSeconds;
        var last = watcher.ArrivalWindow.Last;
        var seconds = last == 0 ? 0 : Stopwatch.GetElapsedTime(started, last).TotalSeconds;
        await Task.Delay(Settle);
        var offered = perSecond ?? count / sendSeconds;
        log.WriteLine($"  {phase}: {count:N0} orders sent in {sendSeconds:0.0} s ({count / sendSeconds:N0}/s); the last outcome {seconds:0.0} s after the first order");
        return new ScenarioResult(
            scenario, phase, count, seconds, seconds > 0 ? tally.Delivered / seconds : 0, offered, latency.Summarize(), LatencyFrom,
            sampler.Stop(), tally.ToCorrectness(), options.Settings);
    }
}
