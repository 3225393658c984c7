using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>Hostile records on <c>orders.received</c>, before the next order.</summary>
public sealed class PricingPoisonRecordTests : PoisonRecordTests
{
    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task PricingDeadLettersTheRecordAndConfirmsTheNextOrder(string shape)
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var next = InProcessPipeline.NewOrder();

        var poison = await ProduceAsync(pipeline.Kafka.BootstrapServers, Topics.OrdersReceived, HostileRecords[shape](), next.OrderId.ToString(),
            ContractsJson(next, ContractsJsonContext.Default.OrderPlaced));

        await Eventually.WaitUntilAsync(
            () => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed).Any(o => o.OrderId == next.OrderId),
            Timeout, () => $"the order after the {shape} record was not confirmed:{Environment.NewLine}{pipeline.RecentLogs(Microsoft.Extensions.Logging.LogLevel.Warning, 20)}");
        await AssertDeadLetteredAsync(pipeline.Kafka.BootstrapServers, Topics.OrdersReceived, poison);
    }

    [Fact]
    public async Task PricingParksARecordWhoseDeadLetterTheBrokerRefusesAndConfirmsTheNextOrder()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = pipeline.Kafka.BootstrapServers }).Build();
        var poison = await producer.ProduceAsync(new TopicPartition(Topics.OrdersReceived, new Partition(0)), new Message<string, byte[]> { Key = "poison", Value = "not json"u8.ToArray() });

        // The broker refuses every write as too large while the record is alone in the pipeline (its batch, the
        // record on its own, its dead letter, its bare dead letter); once it is parked, writes are taken again.
        pipeline.Kafka.InjectRequestErrors(Embedded.KafkaApiKey.Produce, [.. Enumerable.Repeat(ErrorCode.MsgSizeTooLarge, 20)]);
        await pipeline.StartTransactionsAsync();
        await Eventually.WaitUntilAsync(
            () => pipeline.RecentLogs(Microsoft.Extensions.Logging.LogLevel.Critical).Contains($"Parked {Topics.OrdersReceived} [0] @{poison.Offset.Value}", StringComparison.Ordinal),
            Timeout, () => pipeline.RecentLogs(Microsoft.Extensions.Logging.LogLevel.Warning, 30));
        pipeline.Kafka.ClearRequestErrors(Embedded.KafkaApiKey.Produce);

        var next = InProcessPipeline.NewOrder();
        await producer.PublishAsync(Topics.OrdersReceived, next.OrderId.ToString(), next, ContractsJsonContext.Default.OrderPlaced);
        await Eventually.WaitUntilAsync(
            () => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed).Any(o => o.OrderId == next.OrderId),
            Timeout, () => $"the order after the parked record was not confirmed:{Environment.NewLine}{pipeline.RecentLogs(Microsoft.Extensions.Logging.LogLevel.Warning, 20)}");
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersReceived)));
        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);
    }
}
