using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using MimeKit;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// Emails and the analytics indexer killed without warning (SIGKILL, a real child process) three times while
/// orders stream in, then restarted: every order is emailed and every order line indexed. Both are
/// at-least-once, so repeats are counted and reported; the index's deterministic ids make them 409s (already there).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 3;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EveryOrderIsEmailedWhenEmailsIsKilledThreeTimesMidStream()
    {
        const int Orders = 3_000;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var settings = new Dictionary<string, string> { [$"ConnectionStrings__{ConnectionNames.Smtp}"] = pipeline.Smtp.ConnectionString };
        using var endOfStream = new CancellationTokenSource();
        var publishing = pipeline.StreamOrdersAsync(ordersPerSecond: 100, atLeast: Orders, endOfStream.Token);

        await KillRepeatedlyAsync(ServiceProcess.Emails, pipeline, settings, () => pipeline.Smtp.MessagesReceived, publishing);
        await endOfStream.CancelAsync();
        var expected = await publishing;
        using (ServiceProcess.Start(ServiceProcess.Emails, pipeline.Kafka.BootstrapServers, settings))
        {
            // Parsing every .eml is slow, so only once the sink has received enough of them.
            await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= expected.Count && EmailedOrders(pipeline).Count >= expected.Count, Timeout,
                () => $"{EmailedOrders(pipeline).Count} of {expected.Count} orders emailed");
        }

        var emails = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length;
        output.WriteLine($"{expected.Count} orders, {emails} emails: {emails - expected.Count} sent again after a kill");
        Assert.Equal(expected.Select(order => ConfirmationMessageId(order.OrderId)).Order(), EmailedOrders(pipeline).Order());
    }

    [Fact]
    public async Task EveryOrderLineIsIndexedOnceWhenTheIndexerIsKilledThreeTimesMidStream()
    {
        const int Orders = 4_000;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var elasticsearch = await ElasticsearchBulkStandIn.StartAsync();
        // Transactions hosts the indexer: each kill takes both down.
        var settings = new Dictionary<string, string>
        {
            [$"ConnectionStrings__{ConnectionNames.Elasticsearch}"] = elasticsearch.ConnectionString,
            ["OrderProcessing__CommitOffsetsAfterTransaction"] = "true",
        };
        using var endOfStream = new CancellationTokenSource();
        var publishing = pipeline.StreamOrdersAsync(ordersPerSecond: 150, atLeast: Orders, endOfStream.Token);

        await KillRepeatedlyAsync(ServiceProcess.Transactions, pipeline, settings, () => elasticsearch.Documents.Count, publishing);
        await endOfStream.CancelAsync();
        var expectedIds = (await publishing).SelectMany(order => order.Lines.Select((_, i) => $"{order.OrderId}-{i + 1}")).Order().ToList();
        using (ServiceProcess.Start(ServiceProcess.Transactions, pipeline.Kafka.BootstrapServers, settings))
        {
            await Eventually.WaitUntilAsync(() => elasticsearch.Documents.Count >= expectedIds.Count, Timeout,
                () => $"{elasticsearch.Documents.Count} of {expectedIds.Count} documents");
        }

        output.WriteLine($"{expectedIds.Count} order lines, {elasticsearch.Documents.Count} documents, {elasticsearch.Conflicts} resent by a redelivery and answered 409 (already there)");
        Assert.Equal(expectedIds, elasticsearch.Documents.Keys.Order());
    }

    private async Task KillRepeatedlyAsync(
        string service, InProcessPipeline pipeline, Dictionary<string, string> settings, Func<int> progress, Task publishing)
    {
        for (var kill = 1; kill <= Kills; kill++)
        {
            using var worker = ServiceProcess.Start(service, pipeline.Kafka.BootstrapServers, settings);
            var target = progress() + 150;
            await Eventually.WaitUntilAsync(() => progress() >= target, Timeout, () => $"{progress()} of {target} before kill {kill}");
            worker.Kill();
            output.WriteLine($"{service} killed at {progress()}");
            Assert.False(publishing.IsCompleted, $"publishing failed before kill {kill}: {publishing.Exception}");
        }
    }

    private static HashSet<string> EmailedOrders(InProcessPipeline pipeline) =>
        [.. Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path).MessageId ?? "")];

    private static string ConfirmationMessageId(Guid orderId) => $"order-{orderId:N}@foodordering.example";
}
