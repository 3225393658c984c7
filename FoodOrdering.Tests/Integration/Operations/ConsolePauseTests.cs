using Confluent.Kafka;
using System.Net;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Operations.Audit;
using FoodOrdering.Operations.Groups;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MimeKit;

namespace FoodOrdering.Tests.Integration.Operations;

/// <summary>Pausing and resuming a service's consumption from the console, on every replica, against the embedded broker.</summary>
public sealed class ConsolePauseTests
{
    private const int Orders = 30;
    private const string PausedEntry = $"kafka-consumer-{ConsumerGroups.Emails}-paused";
    private static readonly TimeSpan Timeout = TestTimeouts.Recovery;

    // How long the pause is watched with orders waiting: the pause itself, not a wait for something to happen.
    private static readonly TimeSpan Watched = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task APausedEmailsGroupKeepsItsMembersAndSendsNothingUntilResumedThenEmailsEveryOrderOnce()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var first = await pipeline.StartEmailsAsync();
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        await Eventually.WaitUntilAsync(() => Assigned(first) == 3, Timeout, () => "the first replica holds not every partition");

        using var pause = await console.Client.PostAsync($"/api/consumer-groups/{ConsumerGroups.Emails}/pause", null);
        await WaitForHealthAsync(first, HealthStatus.Degraded);
        // A replica started after the pause learns it from the control topic's beginning.
        var second = await pipeline.StartEmailsAsync();
        await WaitForHealthAsync(second, HealthStatus.Degraded);
        await Eventually.WaitUntilAsync(() => Assigned(first) + Assigned(second) == 3 && Assigned(second) > 0, Timeout, () => "the second replica got no partitions");
        var orders = Enumerable.Range(0, Orders).Select(_ => InProcessPipeline.NewOrder()).ToList();
        await pipeline.PublishAsync(orders);
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count >= Orders, Timeout, () => "pricing stalled");
        await Task.Delay(Watched);
        var whilePaused = await Summary(console);
        var assignedWhilePaused = (First: Assigned(first), Second: Assigned(second));
        var emailedWhilePaused = Emailed(pipeline);
        var report = await first.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        using var resume = await console.Client.PostAsync($"/api/consumer-groups/{ConsumerGroups.Emails}/resume", null);
        await Eventually.WaitUntilAsync(() => Emailed(pipeline) >= Orders, Timeout, () => $"{Emailed(pipeline)} of {Orders} emailed after the resume");
        await WaitForHealthAsync(first, HealthStatus.Healthy);
        await WaitForHealthAsync(second, HealthStatus.Healthy);
        using var unknown = await console.Client.PostAsync("/api/consumer-groups/no-such-group/pause", null);

        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0, emailedWhilePaused);
        Assert.NotNull(whilePaused.Paused);
        // Both replicas still hold their partitions: the pause kept them in the group, with no rebalance.
        Assert.True(assignedWhilePaused is { First: > 0, Second: > 0 } && assignedWhilePaused.First + assignedWhilePaused.Second == 3, $"assigned while paused: {assignedWhilePaused}");
        Assert.StartsWith($"{ConsumerGroups.Emails} paused by an operator at ", report.Entries[PausedEntry].Description);
        // Paused, the service reads Degraded: its records wait on purpose.
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Null((await Summary(console)).Paused);
        var messageIds = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path).MessageId).ToList();
        Assert.Equal(Orders, messageIds.Count);
        Assert.Equal(Orders, messageIds.Distinct().Count());
        await Eventually.WaitUntilAsync(
            () => console.GetAsync<List<AuditEntry>>("/api/audit").Result.Count(e => e.Target == ConsumerGroups.Emails && e.Action is AuditActions.Pause or AuditActions.Resume) == 2,
            Timeout, () => "the pause and the resume are not both in the audit");
    }

    [Fact]
    public async Task APausedTransactionsGroupPricesNothingUntilResumedThenConfirmsEveryOrderOnce()
    {
        const string entry = $"kafka-consumer-{ConsumerGroups.Transactions}-paused";
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var transactions = await pipeline.StartTransactionsAsync();
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        var health = transactions.Services.GetRequiredService<HealthCheckService>();

        using var pause = await console.Client.PostAsync($"/api/consumer-groups/{ConsumerGroups.Transactions}/pause", null);
        await Eventually.WaitUntilAsync(() => health.CheckHealthAsync().Result.Entries[entry].Status == HealthStatus.Degraded, Timeout, () => "transactions did not learn the pause");
        var orders = Enumerable.Range(0, Orders).Select(_ => InProcessPipeline.NewOrder()).ToList();
        await pipeline.PublishAsync(orders);
        await Task.Delay(Watched);
        var confirmedWhilePaused = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count;
        using var resume = await console.Client.PostAsync($"/api/consumer-groups/{ConsumerGroups.Transactions}/resume", null);
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count >= Orders, Timeout, () => "not every order was confirmed after the resume");

        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Equal(0, confirmedWhilePaused);
        var confirmed = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Select(record => record.Message.Key).ToList();
        Assert.Equal(orders.Select(order => order.OrderId.ToString()).Order(), confirmed.Order());
    }

    [Fact]
    public async Task APauseShowsForEveryGroupTheConsoleKnowsThoughItHasCommittedNoOffsets()
    {
        const string elsewhere = "paused-by-another-console";
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        // A pause written by another console, of a group this one cannot list and that has committed nothing.
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.PublishAsync(Topics.ConsumptionControl, elsewhere,
                new ConsumptionCommand(elsewhere, true, DateTimeOffset.UtcNow, "another-operator"), ContractsJsonContext.Default.ConsumptionCommand, CancellationToken.None);
        }

        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);

        using var pause = await console.Client.PostAsync($"/api/consumer-groups/{ConsumerGroups.Indexer}/pause", null);
        var indexerListed = (await console.GetAsync<List<GroupSummary>>("/api/consumer-groups")).Single(group => group.GroupId == ConsumerGroups.Indexer);
        List<GroupSummary> listed = [];
        await Eventually.WaitUntilAsync(
            () => (listed = console.GetAsync<List<GroupSummary>>("/api/consumer-groups").Result).Any(group => group.GroupId == elsewhere),
            Timeout, () => $"the groups listed are {string.Join(", ", listed.Select(group => group.GroupId))}");
        var indexer = await console.GetAsync<GroupSummary>($"/api/consumer-groups/{ConsumerGroups.Indexer}");
        using var other = await console.Client.GetAsync($"/api/consumer-groups/{elsewhere}");

        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Empty(indexer.Topics);
        Assert.NotNull(indexer.Paused);
        Assert.NotNull(indexerListed.Paused);
        Assert.NotNull(listed.Single(group => group.GroupId == ConsumerGroups.Indexer).Paused);
        Assert.Equal("another-operator", listed.Single(group => group.GroupId == elsewhere).Paused?.Operator);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task APausedIndexerGroupIndexesNothingUntilResumedThenIndexesEveryLineOnce()
    {
        const string entry = $"kafka-consumer-{ConsumerGroups.Indexer}-paused";
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        await using var elasticsearch = await ElasticsearchBulkStandIn.StartAsync();
        await using var indexer = await AnalyticsIndexerHost.StartAsync(kafka.BootstrapServers, elasticsearch.ConnectionString);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        var health = indexer.Host.Services.GetRequiredService<HealthCheckService>();
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var placedAt = DateTimeOffset.UtcNow;
        var lines = Enumerable.Range(0, Orders)
            .Select(order => Menu.Items[order % Menu.Items.Count])
            .Select(item => new OrderLineSold(Guid.NewGuid(), 1, placedAt, item.Id, item.Name, item.Category, 1, item.UnitPrice))
            .ToList();

        using var pause = await console.Client.PostAsync($"/api/consumer-groups/{ConsumerGroups.Indexer}/pause", null);
        await Eventually.WaitUntilAsync(() => health.CheckHealthAsync().Result.Entries[entry].Status == HealthStatus.Degraded, Timeout, () => "the indexer did not learn the pause");
        await Task.WhenAll(lines.Select(line => producer.PublishAsync(Topics.OrdersAnalytics, line.OrderId.ToString(), line, ContractsJsonContext.Default.OrderLineSold, CancellationToken.None)));
        await Task.Delay(Watched);
        var indexedWhilePaused = elasticsearch.Documents.Count;
        var whilePaused = await console.GetAsync<GroupSummary>($"/api/consumer-groups/{ConsumerGroups.Indexer}");
        using var resume = await console.Client.PostAsync($"/api/consumer-groups/{ConsumerGroups.Indexer}/resume", null);
        await Eventually.WaitUntilAsync(() => elasticsearch.Documents.Count >= Orders, Timeout, () => $"{elasticsearch.Documents.Count} of {Orders} lines indexed after the resume");
        await Eventually.WaitUntilAsync(() => AnalyticsIndexerHost.CommittedOffsets(kafka.BootstrapServers) >= Orders, Timeout, () => "the indexer committed not every line");

        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal(0, indexedWhilePaused);
        Assert.NotNull(whilePaused.Paused);
        Assert.Equal(lines.Select(line => $"{line.OrderId}-{line.LineNumber}").Order(), elasticsearch.Documents.Keys.Order());
        Assert.Equal(0, elasticsearch.Overwrites);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries[entry].Status);
    }

    private static Task<GroupSummary> Summary(OperationsApp console) => console.GetAsync<GroupSummary>($"/api/consumer-groups/{ConsumerGroups.Emails}");

    private static int Assigned(IHost emails) =>
        emails.Services.GetRequiredKeyedService<IConsumer<string, byte[]>>(ConsumerGroups.Emails).Assignment.Count;

    private static int Emailed(InProcessPipeline pipeline) => Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length;

    private static async Task WaitForHealthAsync(IHost service, HealthStatus status)
    {
        var health = service.Services.GetRequiredService<HealthCheckService>();
        HealthReportEntry? entry = null;
        await Eventually.WaitUntilAsync(
            () => (entry = health.CheckHealthAsync().GetAwaiter().GetResult().Entries[PausedEntry])!.Value.Status == status,
            Timeout,
            () => $"{PausedEntry} stayed {entry?.Status}: {entry?.Description}");
    }
}
