using System.Diagnostics;
using System.Net.Http.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// Spans and metrics of the services in this process, through OpenTelemetry's in-memory exporter. Meters and
/// activity sources are process-wide, so these tests run alone (see <see cref="TelemetryCollection"/>).
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task OneOrderIsOneTraceFromTheRequestToTheSmtpSendWithTheOrderIdOnEverySpan()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddAspNetCoreInstrumentation()
            .AddSource(KafkaTelemetry.ActivitySourceName, "FoodOrdering.Producer", "FoodOrdering.Emails")
            .AddInMemoryExporter(spans)
            .Build();
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        await using var producer = await ProducerApp.StartAsync(pipeline.Kafka.BootstrapServers);

        using var response = await producer.Client.PostAsJsonAsync("/orders", new
        {
            customer = new { name = "Ada Lovelace", email = "ada@example.com" },
            deliveryAddress = "12 Analytical St",
            lines = new[] { new { menuItemId = "margherita", quantity = 1 }, new { menuItemId = "cola", quantity = 2 } },
        });
        var order = (await response.Content.ReadFromJsonAsync<OrderPlaced>(ContractsJsonContext.Default.Options))!;
        var orderId = order.OrderId.ToString();
        // A span is exported when it ends, and the email's consume span ends after the sink has the message.
        await Eventually.WaitUntilAsync(
            () => spans.ToArray().Count(span => Equals(span.GetTagItem("order.id")?.ToString(), orderId)
                && span.DisplayName is "process orders.confirmed" or "smtp send") == 2,
            Timeout,
            () => $"{pipeline.Smtp.MessagesReceived} email(s) received; spans of the order: {string.Join(", ", spans.ToArray().Where(span => Equals(span.GetTagItem("order.id")?.ToString(), orderId)).Select(span => span.DisplayName))}");
        tracing.ForceFlush();

        var trace = spans.Where(span => Equals(span.GetTagItem("order.id")?.ToString(), orderId)).ToList();
        var request = Assert.Single(trace, span => span.Kind == ActivityKind.Server);
        Assert.Equal("POST /orders", request.DisplayName);
        Assert.All(trace, span => Assert.Equal(request.TraceId, span.TraceId));
        Assert.DoesNotContain(spans, span => span.TraceId == request.TraceId && span.GetTagItem("order.id") is null);

        var publishReceived = ChildOf(trace, request, "publish orders.received");
        var processReceived = ChildOf(trace, publishReceived, "process orders.received");
        var publishConfirmed = ChildOf(trace, processReceived, "publish orders.confirmed");
        Assert.Equal(2, trace.Count(span => span.DisplayName == "publish orders.analytics" && span.ParentSpanId == processReceived.SpanId));
        var processConfirmed = ChildOf(trace, publishConfirmed, "process orders.confirmed");
        ChildOf(trace, processConfirmed, "smtp send");

        Assert.Equal("kafka", processReceived.GetTagItem("messaging.system"));
        Assert.Equal(Topics.OrdersReceived, processReceived.GetTagItem("messaging.destination.name"));
        Assert.Equal(ConsumerGroups.Transactions, processReceived.GetTagItem("messaging.consumer.group.name"));
        Assert.Equal(orderId, processReceived.GetTagItem("messaging.kafka.message.key"));
        Assert.NotNull(processReceived.GetTagItem("messaging.destination.partition.id"));
        Assert.NotNull(processReceived.GetTagItem("messaging.kafka.offset"));
    }

    [Fact]
    public async Task MetricsCountAKnownBatchExactly()
    {
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter("FoodOrdering.Transactions", "FoodOrdering.Emails")
            .AddInMemoryExporter(metrics)
            .Build();
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var statistics = new Dictionary<string, string?> { ["Aspire:Confluent:Kafka:Consumer:Config:StatisticsIntervalMs"] = "200" };
        await pipeline.StartTransactionsAsync(statistics);
        await pipeline.StartEmailsAsync(statistics);
        // 3 × (2 margherita + 1 cola) = 3 × 25.40; one rejected (discontinued), one unreadable.
        var orders = Enumerable.Range(0, 3).Select(_ => InProcessPipeline.NewOrder()).ToList();
        var discontinued = InProcessPipeline.NewOrder() with { Lines = [new OrderLine("pumpkin-soup", 1)] };
        await pipeline.PublishAsync([.. orders, discontinued]);
        using (var raw = new Confluent.Kafka.ProducerBuilder<string, byte[]>(new Confluent.Kafka.ProducerConfig { BootstrapServers = pipeline.Kafka.BootstrapServers }).Build())
        {
            await raw.ProduceAsync(Topics.OrdersReceived, new Confluent.Kafka.Message<string, byte[]> { Key = "bad", Value = "{"u8.ToArray() });
        }

        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= 3, Timeout, () => $"{pipeline.Smtp.MessagesReceived} of 3 emails");
        await Eventually.WaitUntilAsync(() =>
        {
            meters.ForceFlush();
            var lagGroups = Points(metrics, "messaging.kafka.consumer.lag").Select(point => Tag(point, "messaging.consumer.group.name")).ToHashSet();
            // Each Transactions worker counts its transaction after committing it, which Emails may outrun.
            // The rejected order and the unreadable record may be another worker's, which counts them later still.
            return Sum(metrics, "foodordering.emails.sent") >= 3 && Sum(metrics, "foodordering.orders.confirmed") >= 3
                && Sum(metrics, "foodordering.orders.rejected", ("reason", RejectionReasons.DiscontinuedItem)) >= 1
                && Sum(metrics, "foodordering.orders.dead_lettered", ("reason", "unreadable")) >= 1
                && lagGroups.Contains(ConsumerGroups.Transactions) && lagGroups.Contains(ConsumerGroups.Emails);
        }, Timeout, () => "the metrics did not show the batch");

        Assert.Equal(3, Sum(metrics, "foodordering.orders.confirmed"));
        Assert.Equal(1, Sum(metrics, "foodordering.orders.rejected", ("reason", RejectionReasons.DiscontinuedItem)));
        Assert.Equal(1, Sum(metrics, "foodordering.orders.dead_lettered", ("reason", "unreadable")));
        Assert.Equal(3 * 2300, Sum(metrics, "foodordering.revenue.cents", ("item", "margherita"), ("category", "Pizza")));
        Assert.Equal(3 * 240, Sum(metrics, "foodordering.revenue.cents", ("item", "cola"), ("category", "Drinks")));
        Assert.Equal("{cent}", metrics.Last(metric => metric.Name == "foodordering.revenue.cents").Unit);
        Assert.Equal(6, Sum(metrics, "foodordering.items.sold", ("item", "margherita")));
        Assert.Equal(3, HistogramCount(metrics, "foodordering.order.confirmation.duration"));
        Assert.Equal(3, HistogramCount(metrics, "foodordering.order.value.cents"));
        Assert.Equal(3, HistogramCount(metrics, "foodordering.order.email.duration"));
        Assert.Equal(3, Sum(metrics, "foodordering.emails.sent"));
        Assert.Contains(Points(metrics, "messaging.kafka.consumer.lag"), point => Tag(point, "messaging.consumer.group.name") == ConsumerGroups.Transactions);
        Assert.Contains(Points(metrics, "messaging.kafka.consumer.lag"), point => Tag(point, "messaging.consumer.group.name") == ConsumerGroups.Emails);
        // Caught up means zero, also behind a transactional producer whose commit markers take offsets.
        await Eventually.WaitUntilAsync(() =>
        {
            meters.ForceFlush();
            var latest = Latest(metrics, "messaging.kafka.consumer.lag").ToList();
            return latest.Count == 6 && latest.All(point => point.GetGaugeLastValueLong() == 0); // 3 partitions × 2 groups
        }, Timeout, () => "the lag did not settle at zero: " + string.Join(", ", Latest(metrics, "messaging.kafka.consumer.lag")
            .Select(point => $"{Tag(point, "messaging.consumer.group.name")}/{Tag(point, "messaging.destination.partition.id")}={point.GetGaugeLastValueLong()}")));
    }

    [Fact]
    public async Task AConsumerStuckWhileMessagesWaitTurnsReadinessUnhealthyUntilItMovesAgain()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var emails = await pipeline.StartEmailsAsync(new()
        {
            ["Aspire:Confluent:Kafka:Consumer:Config:StatisticsIntervalMs"] = "200",
            ["Aspire:Confluent:Kafka:Consumer:StallTimeout"] = "00:00:02",
        });
        var health = emails.Services.GetRequiredService<HealthCheckService>();
        await pipeline.PublishAsync([InProcessPipeline.NewOrder()]);
        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= 1, Timeout, () => "the first email did not arrive");
        await WaitForHealthAsync(health, HealthStatus.Healthy);

        // SMTP down: the Emails loop waits on its retries and stops moving while confirmations keep coming.
        await pipeline.StopSmtpAsync();
        await pipeline.PublishAsync(Enumerable.Range(0, 5).Select(_ => InProcessPipeline.NewOrder()).ToList());
        // The SMTP server's own entry turns unhealthy at the first refused send; the consumer's once it stood still too long.
        var stalled = await WaitForHealthAsync(health, HealthStatus.Unhealthy,
            report => report.Entries.Values.Any(entry => entry.Description?.Contains("made no progress", StringComparison.Ordinal) == true));
        Assert.Equal(HealthStatus.Unhealthy, stalled.Entries[ConnectionNames.Smtp].Status);

        await pipeline.StartSmtpAsync();
        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= 5, Timeout, () => "the emails did not drain");
        await WaitForHealthAsync(health, HealthStatus.Healthy);
    }

    private static async Task<HealthReport> WaitForHealthAsync(HealthCheckService health, HealthStatus status, Func<HealthReport, bool>? and = null)
    {
        HealthReport? report = null;
        await Eventually.WaitUntilAsync(
            () => (report = health.CheckHealthAsync().GetAwaiter().GetResult()).Status == status && (and?.Invoke(report) ?? true),
            Timeout,
            () => $"health stayed {report?.Status}: {string.Join("; ", report?.Entries.Select(e => $"{e.Key}={e.Value.Status} {e.Value.Description}") ?? [])}");
        return report!;
    }

    private static Activity ChildOf(List<Activity> trace, Activity parent, string name) =>
        Assert.Single(trace, span => span.DisplayName == name && span.ParentSpanId == parent.SpanId);

    private static IEnumerable<MetricPoint> Points(List<Metric> metrics, string name)
    {
        foreach (var metric in metrics.Where(metric => metric.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                yield return point;
            }
        }
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private static bool Matches(MetricPoint point, (string Key, string Value)[] tags) => tags.All(tag => Tag(point, tag.Key) == tag.Value);

    // The exporter keeps every export; counters are cumulative, so the latest export holds the totals.
    // Each service has its own meter, so an instrument name can come from several: the latest export of each.
    private static IEnumerable<MetricPoint> Latest(List<Metric> metrics, string name) =>
        Points([.. metrics.Where(metric => metric.Name == name).GroupBy(metric => metric.MeterName).Select(meter => meter.Last())], name);

    private static double Sum(List<Metric> metrics, string name, params (string Key, string Value)[] tags) =>
        Latest(metrics, name).Where(point => Matches(point, tags)).Sum(point =>
            metrics.Last(metric => metric.Name == name).MetricType switch
            {
                MetricType.LongSum => point.GetSumLong(),
                MetricType.DoubleSum => point.GetSumDouble(),
                _ => throw new InvalidOperationException($"{name} is not a counter"),
            });

    private static long HistogramCount(List<Metric> metrics, string name) =>
        Latest(metrics, name).Sum(point => point.GetHistogramCount());
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (process-wide listeners)";
}
