using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>Hostile records on <c>orders.analytics</c>, before the next line.</summary>
public sealed class IndexerPoisonRecordTests : PoisonRecordTests
{
    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task TheIndexerDeadLettersTheRecordAndIndexesTheNextLine(string shape)
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var elasticsearch = await ElasticsearchBulkStandIn.StartAsync();
        await using var indexer = await AnalyticsIndexerHost.StartAsync(pipeline.Kafka.BootstrapServers, elasticsearch.ConnectionString, batchSize: 10);
        var next = new OrderLineSold(Guid.NewGuid(), 1, DateTimeOffset.UtcNow, "cola", "Cola", "Drinks", 1, 2.50m);

        var poison = await ProduceAsync(pipeline.Kafka.BootstrapServers, Topics.OrdersAnalytics, HostileRecords[shape](), next.OrderId.ToString(),
            ContractsJson(next, ContractsJsonContext.Default.OrderLineSold));

        await Eventually.WaitUntilAsync(() => elasticsearch.Documents.ContainsKey($"{next.OrderId}-1"), Timeout,
            () => $"the line after the {shape} record was not indexed");
        await AssertDeadLetteredAsync(pipeline.Kafka.BootstrapServers, Topics.OrdersAnalytics, poison);
    }
}
