using System.Diagnostics;
using FoodOrdering.Embedded;
using FoodOrdering.Benchmarks.Infrastructure;
using FoodOrdering.Benchmarks.Load;
using FoodOrdering.Benchmarks.Measurement;
using FoodOrdering.Benchmarks.Results;
using FoodOrdering.Contracts;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>
/// Emails against the embedded SMTP sink: a backlog of confirmed orders emailed as fast as the service goes, then a
/// steady stream at <c>--email-rate</c> (placed → emailed latency). Every order's email must be in the sink's directory
/// exactly once, by the order id in its <c>Message-Id</c>. The directory is a temporary one, deleted afterwards.
/// </summary>
internal sealed class EmailsScenario(BenchmarkOptions options, TextWriter log)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        using var kafka = BenchmarkKafka.Start(options, OrderSource.EstimateConfirmationBytes(options.Seed, options.Orders));
        var mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-benchmark", Guid.NewGuid().ToString("N"));
        var sink = new EmbeddedSmtpSink(mailDirectory);
        await sink.StartAsync(CancellationToken.None);
        try
        {
            return await RunAsync(kafka, sink);
        }
        finally
        {
            await sink.DisposeAsync();
            Directory.Delete(mailDirectory, recursive: true);
        }
    }

    private async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkKafka kafka, EmbeddedSmtpSink sink)
    {
        var source = new OrderSource(options.Seed);
        var backlog = new DeliveryTally(options.Orders);
        KafkaLoad.Preload(kafka, Topics.OrdersConfirmed, options.Orders, source.NextConfirmation, confirmed => confirmed.OrderId,
            ContractsJsonContext.Default.OrderConfirmed, backlog, log);

        var results = new List<ScenarioResult>();
        await using var service = await ServiceHosts.StartEmailsAsync(options, kafka, sink.ConnectionString, log);
        using (var sampler = service.StartSampling())
        {
            var first = 0L;
            await Progress.WaitAsync("emailed", () =>
            {
                var received = sink.MessagesReceived;
                if (received > 0 && first == 0)
                {
                    first = Stopwatch.GetTimestamp();
                }

                return received;
            }, options.Orders, log);
            var seconds = first == 0 ? 0 : Stopwatch.GetElapsedTime(first).TotalSeconds;
            await Task.Delay(Settle);
            var usage = sampler.Stop();
            MailDirectory.TallyAndDelete(sink.MailDirectory, backlog);
            results.Add(new ScenarioResult(
                BenchmarkOptions.Emails, "backlog", options.Orders, seconds, seconds > 0 ? backlog.Delivered / seconds : 0, null,
                null, "not measured: the backlog was placed before the service started", usage, backlog.ToCorrectness(), options.Settings));
        }

        results.Add(await RunSteadyAsync(kafka, sink, source, service));
        return results;
    }

    private async Task<ScenarioResult> RunSteadyAsync(BenchmarkKafka kafka, EmbeddedSmtpSink sink, OrderSource source, ServiceUnderTest service)
    {
        var count = (int)(options.EmailRate * options.RateDuration.TotalSeconds);
        var (confirmations, tally) = DeliveryTally.Expecting(count, source.NextConfirmation, confirmed => confirmed.OrderId);
        Measurement.Settle.Heap();

        var placedAt = new System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTimeOffset>();
        var alreadyReceived = sink.MessagesReceived;
        using var sampler = service.StartSampling();
        var started = Stopwatch.GetTimestamp();
        using var load = KafkaLoad.ForStream(kafka.BootstrapServers);
        var sending = Task.Factory.StartNew(() =>
        {
            load.SendAtRate(Topics.OrdersConfirmed, confirmations, options.EmailRate, (confirmed, now) =>
            {
                placedAt[confirmed.OrderId] = now;
                return (confirmed.OrderId, confirmed with { PlacedAt = now });
            }, ContractsJsonContext.Default.OrderConfirmed);
            load.Flush();
        }, TaskCreationOptions.LongRunning);

        await Progress.WaitAsync("emailed at a steady rate", () => sink.MessagesReceived - alreadyReceived, count, log);
        await sending;
        // Emails are counted by the sink, as they arrive: the last one's arrival is about now.
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.Delay(Settle);
        var usage = sampler.Stop();
        var latency = new LatencyRecorder();
        MailDirectory.TallyAndDelete(sink.MailDirectory, tally, placedAt, latency);
        return new ScenarioResult(
            BenchmarkOptions.Emails, $"steady {options.EmailRate:N0}/s", count, seconds, tally.Delivered / seconds, options.EmailRate, latency.Summarize(),
            "the confirmation's placedAt (set as the benchmark produces it) -> the SMTP sink finished writing the .eml file (its modification time)",
            usage, tally.ToCorrectness(), options.Settings);
    }
}
