using System.Collections.Concurrent;
using System.Diagnostics;
using FoodOrdering.Benchmarks.Infrastructure;
using FoodOrdering.Benchmarks.Load;
using FoodOrdering.Benchmarks.Measurement;
using FoodOrdering.Benchmarks.Results;
using FoodOrdering.Embedded;

namespace FoodOrdering.Benchmarks.Scenarios;

/// <summary>
/// All three services (each its own process unless <c>--hosting inprocess</c>) under steady orders for
/// <c>--soak-minutes</c>: orders POSTed to the Producer's API at <c>--soak-rate</c>, priced by Transactions, emailed by
/// Emails to the embedded SMTP sink. Each service's resident set is sampled every <c>--soak-sample-seconds</c> and
/// judged by <see cref="MemoryTrend"/>; every accepted order must be emailed exactly once. The sink's directory is
/// a temporary one, emptied as the soak goes and deleted afterwards.
/// </summary>
internal sealed class SoakScenario(BenchmarkOptions options, TextWriter log)
{
    private const int Clients = 16;

    // An email is tallied only once its order's 201 has surely been seen, so that its id is expected by then.
    private static readonly TimeSpan TallyDelay = TimeSpan.FromSeconds(10);

    public SoakReport? Report { get; private set; }

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        using var kafka = BenchmarkKafka.Start(options, preloadBytes: 0);
        var mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-benchmark", Guid.NewGuid().ToString("N"));
        var sink = new EmbeddedSmtpSink(mailDirectory);
        await sink.StartAsync(CancellationToken.None);
        try
        {
            await using var producer = await ServiceHosts.StartProducerAsync(options, kafka, log);
            await using var transactions = await ServiceHosts.StartTransactionsAsync(options, kafka, log);
            await using var emails = await ServiceHosts.StartEmailsAsync(options, kafka, sink.ConnectionString, log);
            return await RunAsync([producer, transactions, emails], sink);
        }
        finally
        {
            await sink.DisposeAsync();
            Directory.Delete(mailDirectory, recursive: true);
        }
    }

    private async Task<IReadOnlyList<ScenarioResult>> RunAsync(IReadOnlyList<ServiceUnderTest> services, EmbeddedSmtpSink sink)
    {
        var producer = services[0];
        var requests = (int)(options.SoakRate * options.SoakDuration.TotalSeconds);
        using var load = new OrderApiLoad(producer.BaseAddress!, Clients, new OrderSource(options.Seed));
        var accepted = new ConcurrentQueue<Guid>();
        var tally = new DeliveryTally();
        var latency = new LatencyRecorder();
        var samplers = services.Select(service => service.StartSampling()).ToList();
        var timelines = services.Select(_ => new List<MemorySample>()).ToList();
        var emailedBefore = sink.MessagesReceived;
        log.WriteLine($"  soak: {options.SoakRate:N0} orders/s to the order API for {options.SoakDuration.TotalMinutes:0.#} min; memory sampled every {options.SoakSampleInterval.TotalSeconds:0.#} s");

        for (var i = 0; i < services.Count; i++)
        {
            timelines[i].Add(new MemorySample(0, samplers[i].CurrentRssMb()));
        }

        var started = Stopwatch.GetTimestamp();
        var running = load.RunAsync(requests, Clients, latency, options.SoakRate, accepted.Enqueue);
        var lastReport = started;
        var acceptedAtLastReport = 0;
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(options.SoakSampleInterval));
            var elapsed = Stopwatch.GetElapsedTime(started);
            for (var i = 0; i < services.Count; i++)
            {
                timelines[i].Add(new MemorySample(Math.Round(elapsed.TotalSeconds, 1), samplers[i].CurrentRssMb()));
            }

            Drain(accepted, tally);
            MailDirectory.TallyAndDelete(sink.MailDirectory, tally, writtenBefore: DateTime.UtcNow - TallyDelay);
            var sinceReport = Stopwatch.GetElapsedTime(lastReport);
            if (sinceReport >= TimeSpan.FromSeconds(5))
            {
                log.WriteLine(Progress.TimedLine("soak", elapsed, options.SoakDuration, tally.Expected, (tally.Expected - acceptedAtLastReport) / sinceReport.TotalSeconds)
                    + $"; RSS {string.Join(", ", services.Select((service, i) => $"{Short(service)} {timelines[i][^1].RssMb:0} MB"))}");
                lastReport = Stopwatch.GetTimestamp();
                acceptedAtLastReport = tally.Expected;
            }
        }

        var result = await running;
        var loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Drain(accepted, tally);
        log.WriteLine($"  soak: {result.Accepted.Count:N0} orders accepted, {result.Refused:N0} refused; waiting for their emails");
        await Progress.WaitAsync("emailed", () => sink.MessagesReceived - emailedBefore, result.Accepted.Count, log);
        await Task.Delay(TransactionsPhases.Settle);
        var usages = samplers.Select(sampler => sampler.Stop()).ToList();
        samplers.ForEach(sampler => sampler.Dispose());
        MailDirectory.TallyAndDelete(sink.MailDirectory, tally);

        var correctness = tally.ToCorrectness() is var found && result.Refused > 0
            ? found with { Expected = found.Expected + result.Refused, Missing = found.Missing + result.Refused }
            : found;
        Report = new SoakReport(
            Math.Round(options.SoakDuration.TotalMinutes, 2), options.SoakRate, options.SoakSampleInterval.TotalSeconds,
            [.. services.Select((service, i) => new ServiceMemory(service.Name, usages[i].Process, timelines[i], MemoryTrend.Judge(timelines[i])))]);
        foreach (var memory in Report.Services)
        {
            log.WriteLine($"  {memory.Service}: {memory.Verdict.Text}");
        }

        return
        [
            .. services.Select((service, i) => new ScenarioResult(
                BenchmarkOptions.Soak, $"{Short(service)} {options.SoakDuration.TotalMinutes:0.#} min", result.Accepted.Count, loadSeconds,
                result.Accepted.Count / loadSeconds, options.SoakRate, service == producer ? latency.Summarize() : null,
                service == producer
                    ? "client side: POST /orders sent -> 201 received"
                    : "not measured for this service: the soak is about memory; see the streaming and sweep scenarios",
                usages[i], correctness, options.Settings)),
        ];
    }

    private static void Drain(ConcurrentQueue<Guid> accepted, DeliveryTally tally)
    {
        while (accepted.TryDequeue(out var id))
        {
            tally.Expect(id);
        }
    }

    private static string Short(ServiceUnderTest service) => service.Name[(service.Name.LastIndexOf('.') + 1)..];
}
