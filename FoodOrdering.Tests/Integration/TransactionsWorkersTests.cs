using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Tests.Integration;

/// <summary>Transactions runs several workers in one process, each a member of the group with partitions of its own.</summary>
public sealed class TransactionsWorkersTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task TwoWorkersInOneProcessEachOwnPartitionsAndEachCommitsTheirOrders()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var service = await pipeline.StartTransactionsAsync(new() { ["OrderProcessing:Workers"] = "2" });
        var consumers = service.Services.GetRequiredKeyedService<KafkaConsumerFactory<string, byte[]>>(ConsumerGroups.Transactions);

        // The group settles first, so every order is consumed by the worker that keeps its partition.
        await Eventually.WaitUntilAsync(
            () => consumers.Members.Count == 2 && consumers.Members.All(member => member.Consumer.Assignment.Count > 0)
                && consumers.Members.Sum(member => member.Consumer.Assignment.Count) == 3,
            Timeout,
            () => "the two workers do not share the 3 partitions: " + Assignments(consumers));
        var assignments = consumers.Members.Select(member => member.Consumer.Assignment.ToList()).ToList();
        await pipeline.PublishAsync(Enumerable.Range(0, 300).Select(_ => InProcessPipeline.NewOrder()));
        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout,
            () => pipeline.RecentLogs());

        Assert.Equal(3, assignments.SelectMany(partitions => partitions).Distinct().Count());
        Assert.Equal(assignments, consumers.Members.Select(member => member.Consumer.Assignment.ToList()));
        // Each worker read its own partitions; their offsets reached the end only through its own transactions.
        Assert.All(consumers.Members, member => Assert.All(member.Consumer.Assignment, partition => Assert.True(member.Consumer.Position(partition).Value > 0, $"worker {member.Index} did not consume {partition}")));
        Assert.Equal(300, TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count);
        var progress = (await service.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[$"kafka-consumer-{ConsumerGroups.Transactions}-progress"];
        Assert.Equal(HealthStatus.Healthy, progress.Status);
    }

    private static string Assignments(KafkaConsumerFactory<string, byte[]> consumers) => string.Join("; ", consumers.Members.Select(member =>
        $"worker {member.Index}: [{string.Join(", ", member.Consumer.Assignment.Select(partition => partition.Partition.Value))}]"));
}
