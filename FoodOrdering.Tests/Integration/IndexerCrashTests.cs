using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

public sealed class IndexerCrashTests(ITestOutputHelper output) : CrashTests(output)
{
    [Fact]
    public async Task EveryOrderLineIsIndexedOnceWhenTheIndexerIsKilledThreeTimesMidStream()
    {
        const int Orders = 2_000;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var elasticsearch = await ElasticsearchBulkStandIn.StartAsync();
        // Transactions hosts the indexer: each kill takes both down.
        var settings = new Dictionary<string, string>
        {
            [$"ConnectionStrings__{ConnectionNames.Elasticsearch}"] = elasticsearch.ConnectionString,
            ["EmbeddedBroker__CommitOffsetsAfterTransaction"] = "true",
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

        Output.WriteLine($"{expectedIds.Count} order lines, {elasticsearch.Documents.Count} documents, {elasticsearch.Conflicts} resent by a redelivery and answered 409 (already there)");
        Assert.Equal(expectedIds, elasticsearch.Documents.Keys.Order());
    }
}
