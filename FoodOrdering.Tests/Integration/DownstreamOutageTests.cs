using System.Globalization;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MimeKit;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// SMTP down and Elasticsearch answering 503 and then 429 at the same time, while orders keep coming: pricing goes
/// on, lag builds, health says so, and everything drains once they are back. The outage lasts 5 s by default and
/// 30 s with <c>FOODORDERING_SOAK=1</c> (the same code path, only longer).
/// </summary>
public sealed class DownstreamOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TestTimeouts.Recovery;

    private static TimeSpan Outage => Environment.GetEnvironmentVariable("FOODORDERING_SOAK") == "1" ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(5);

    [Fact]
    public async Task PricingGoesOnHealthDropsAndEverythingDrainsAfterSmtpAndElasticsearchOutages()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var elasticsearch = await ElasticsearchBulkStandIn.StartAsync();
        var watchClosely = new Dictionary<string, string?>
        {
            ["Aspire:Confluent:Kafka:Consumer:Config:StatisticsIntervalMs"] = "200",
            ["Aspire:Confluent:Kafka:Consumer:StallTimeout"] = "00:00:02",
        };
        var transactions = await pipeline.StartTransactionsAsync(new(watchClosely) { [$"ConnectionStrings:{ConnectionNames.Elasticsearch}"] = elasticsearch.ConnectionString });
        var emails = await pipeline.StartEmailsAsync(watchClosely);
        var before = Orders(20);
        var during = Orders(200);
        await pipeline.PublishAsync(before);
        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= 20 && elasticsearch.Documents.Count >= 40, Timeout, () => "the first orders did not go through");

        await pipeline.StopSmtpAsync();
        elasticsearch.Outage = true;
        await pipeline.PublishAsync(during);
        // Pricing does not wait for either: every order is confirmed during the outage.
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count >= 220, Timeout, () => "pricing stalled");
        await WaitForHealthAsync(emails, HealthStatus.Unhealthy);
        await WaitForHealthAsync(transactions, HealthStatus.Degraded);
        await Task.Delay(Outage / 2); // the outage itself, not a wait for something to happen
        elasticsearch.Outage = false;
        elasticsearch.FailNextRequests(int.MaxValue, 429);
        await Task.Delay(Outage / 2);
        var emailedDuring = pipeline.Smtp.MessagesReceived;
        var indexedDuring = elasticsearch.Documents.Count;
        elasticsearch.FailNextRequests(0, 429);
        await pipeline.StartSmtpAsync();

        // The sink came back as a new server writing to the same directory, so count the files.
        await Eventually.WaitUntilAsync(() => Emailed(pipeline) >= 220 && elasticsearch.Documents.Count >= 440, Timeout,
            () => $"{Emailed(pipeline)} of 220 emails, {elasticsearch.Documents.Count} of 440 documents");
        await WaitForHealthAsync(emails, HealthStatus.Healthy);
        await WaitForHealthAsync(transactions, HealthStatus.Healthy);
        output.WriteLine($"outage {Outage.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: {emailedDuring} emails and {indexedDuring} documents during it; " +
            $"{elasticsearch.FailedBulkRequests} bulk requests refused");

        Assert.Equal(20, emailedDuring);
        Assert.Equal(40, indexedDuring);
        var messageIds = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path).MessageId).ToList();
        Assert.Equal(220, messageIds.Count);
        Assert.Equal(220, messageIds.Distinct().Count());
        Assert.Equal(
            before.Concat(during).SelectMany(order => order.Lines.Select((_, i) => $"{order.OrderId}-{i + 1}")).Order(),
            elasticsearch.Documents.Keys.Order());
    }

    private static int Emailed(InProcessPipeline pipeline) => Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length;

    private static List<OrderPlaced> Orders(int count) => [.. Enumerable.Range(0, count).Select(_ => InProcessPipeline.NewOrder())];

    private static async Task WaitForHealthAsync(IHost service, HealthStatus status)
    {
        var health = service.Services.GetRequiredService<HealthCheckService>();
        HealthReport? report = null;
        await Eventually.WaitUntilAsync(
            () => (report = health.CheckHealthAsync().GetAwaiter().GetResult()).Status == status,
            Timeout,
            () => $"health stayed {report?.Status}: {string.Join("; ", report?.Entries.Select(e => $"{e.Key}={e.Value.Status} {e.Value.Description}") ?? [])}");
    }
}
