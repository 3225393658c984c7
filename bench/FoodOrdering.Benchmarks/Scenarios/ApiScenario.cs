using FoodOrdering.Benchmarks.Infrastructure;
using FoodOrdering.Benchmarks.Load;
using FoodOrdering.Benchmarks.Measurement;
using FoodOrdering.Benchmarks.Results;
using FoodOrdering.Contracts;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>
/// The Producer's order API on Kestrel under <c>--clients</c> concurrent clients: accepted orders/s and request
/// latency. Every order answered 201 must be on <c>orders.received</c> exactly once; any other answer to a valid
/// order counts as missing.
/// </summary>
internal sealed class ApiScenario(BenchmarkOptions options, TextWriter log)
{
    private const int WarmUpRequests = 5_000;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        using var kafka = BenchmarkKafka.Start(options, OrderSource.EstimateOrderBytes(options.Seed, options.Orders + WarmUpRequests));
        await using var api = await ServiceHosts.StartProducerAsync(options, kafka, log);
        using var load = new OrderApiLoad(api.BaseAddress!, options.ApiClients, new OrderSource(options.Seed));

        // JIT, connection setup and the producer's first metadata round trips are not what is measured.
        var warmUp = await load.RunAsync(WarmUpRequests, options.ApiClients, latency: null);
        log.WriteLine($"  warm-up: {warmUp.Accepted.Count:N0} accepted, {warmUp.Refused:N0} refused");
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        var from = kafka.EndOffsets(Topics.OrdersReceived);
        var latency = new LatencyRecorder();
        ApiLoadResult result;
        ResourceUsage usage;
        using (var sampler = api.StartSampling())
        {
            result = await load.RunAsync(options.Orders, options.ApiClients, latency);
            usage = sampler.Stop();
        }

        log.WriteLine($"  {result.Accepted.Count:N0} accepted and {result.Refused:N0} refused in {result.Seconds:0.0} s; checking {Topics.OrdersReceived}");

        var tally = new DeliveryTally(options.Orders);
        foreach (var id in result.Accepted)
        {
            tally.Expect(id);
        }

        using (new TopicWatcher(kafka.BootstrapServers, from, tally))
        {
            await Progress.WaitAsync("found on the log", () => tally.Delivered, tally.Expected, log);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        // A refused valid order is an order lost to the client: count it as missing.
        var correctness = tally.ToCorrectness() is var found && result.Refused > 0
            ? found with { Expected = found.Expected + result.Refused, Missing = found.Missing + result.Refused }
            : found;
        return
        [
            new ScenarioResult(
                BenchmarkOptions.Api, $"{options.ApiClients} clients", options.Orders, result.Seconds, result.Accepted.Count / result.Seconds, null,
                latency.Summarize(), "client side: POST /orders sent -> 201 received (the broker acknowledged the order before the answer)",
                usage, correctness, options.Settings),
        ];
    }
}
