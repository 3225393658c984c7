using Confluent.Kafka;
using FoodOrdering.AppHost;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>The <c>kafka</c> resource's "Topics and offsets" command against the embedded broker.</summary>
public sealed class KafkaTopicsCommandTests
{
    [Fact]
    public async Task ListsEveryTopicWithItsEndOffsetsAndEachGroupsLag()
    {
        using var kafka = EmbeddedKafkaCluster.Start(brokers: 1, partitions: 2, Topics.All);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                await producer.ProduceAsync(new TopicPartition(Topics.OrdersReceived, new Partition(0)), new Message<string, string> { Key = "k", Value = "v" });
            }

            await producer.ProduceAsync(new TopicPartition(Topics.OrdersReceived, new Partition(1)), new Message<string, string> { Key = "k", Value = "v" });
        }

        // Transactions has done three of the five records on partition 0 and none on partition 1.
        using (var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = ConsumerGroups.Transactions }).Build())
        {
            consumer.Commit([new TopicPartitionOffset(Topics.OrdersReceived, 0, 3), new TopicPartitionOffset(Topics.OrdersReceived, 1, 0)]);
        }

        var report = KafkaTopicsCommand.Describe(kafka.BootstrapServers, NullLogger.Instance);

        Assert.Contains($"| {Topics.OrdersReceived} | 2 | 5 · 1 | 6 |", report, StringComparison.Ordinal);
        Assert.Contains($"| {Topics.OrdersConfirmed} | 2 | 0 · 0 | 0 |", report, StringComparison.Ordinal);
        Assert.Contains($"| {ConsumerGroups.Transactions} | {Topics.OrdersReceived} | 3 · 0 | 3 |", report, StringComparison.Ordinal);
        Assert.DoesNotContain($"| {ConsumerGroups.Emails} |", report, StringComparison.Ordinal);
        Assert.All(Topics.All, topic => Assert.Contains($"| {topic} |", report, StringComparison.Ordinal));
        // Offsets are no record count on a transactional topic; the report says so and where records are counted.
        Assert.Contains("The `console` resource counts records", report, StringComparison.Ordinal);
    }
}
