using System.Diagnostics;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>How the embedded broker forms a consumer group.</summary>
public sealed class EmbeddedKafkaGroupJoinTests
{
    // What a broker left at its default (group.initial.rebalance.delay.ms) holds a new group's first join for.
    private static readonly TimeSpan DefaultInitialHold = TimeSpan.FromSeconds(3);

    [Fact]
    public void AGroupsFirstMemberIsNotHeldAsLongAsABrokerAtItsDefaultHoldsItForMembersThatMayFollow()
    {
        using var kafka = EmbeddedKafkaCluster.Start(brokers: 1, partitions: 3, [Topics.OrdersReceived]);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "first-member",
        }).Build();
        var clock = Stopwatch.StartNew();

        consumer.Subscribe(Topics.OrdersReceived);
        while (consumer.Assignment.Count == 0 && clock.Elapsed < TestTimeouts.Call)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(3, consumer.Assignment.Count);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, DefaultInitialHold);
    }
}
