using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Producer.Tracking;

namespace FoodOrdering.Tests.Unit;

/// <summary>Which outcome partitions the tracking reader is handed at each look at the brokers' list.</summary>
public sealed class OutcomePartitionsTests
{
    [Fact]
    public void EachOutcomePartitionIsHandedOutOnceWhenItFirstAppearsAndOtherTopicsNever()
    {
        var partitions = new OutcomePartitions();

        var atStart = partitions.Added(Listing((Topics.OrdersReceived, 3)));
        var topicsCreated = partitions.Added(Listing((Topics.OrdersReceived, 3), (Topics.OrdersConfirmed, 2), (Topics.EmailsSent, 2)));
        var unchanged = partitions.Added(Listing((Topics.OrdersConfirmed, 2), (Topics.EmailsSent, 2)));
        var partitionsAdded = partitions.Added(Listing((Topics.OrdersConfirmed, 4), (Topics.EmailsSent, 2)));

        Assert.Empty(atStart);
        Assert.Equal(
            [new(Topics.OrdersConfirmed, 0), new(Topics.OrdersConfirmed, 1), new(Topics.EmailsSent, 0), new TopicPartition(Topics.EmailsSent, 1)],
            topicsCreated);
        Assert.Empty(unchanged);
        Assert.Equal([new(Topics.OrdersConfirmed, 2), new TopicPartition(Topics.OrdersConfirmed, 3)], partitionsAdded);
        Assert.Equal(6, partitions.Count);
    }

    [Fact]
    public void ATopicTheBrokersReportWithAnErrorIsLeftForALaterLook()
    {
        var partitions = new OutcomePartitions();

        var failing = partitions.Added(new Metadata([], [new TopicMetadata(Topics.OrdersRejected, [Partition(0)], ErrorCode.LeaderNotAvailable)], -1, ""));
        var healed = partitions.Added(Listing((Topics.OrdersRejected, 1)));

        Assert.Empty(failing);
        Assert.Equal([new TopicPartition(Topics.OrdersRejected, 0)], healed);
    }

    private static Metadata Listing(params (string Topic, int Partitions)[] topics) =>
        new([], [.. topics.Select(t => new TopicMetadata(t.Topic, [.. Enumerable.Range(0, t.Partitions).Select(Partition)], ErrorCode.NoError))], -1, "");

    private static PartitionMetadata Partition(int id) => new(id, 1, [1], [1], ErrorCode.NoError);
}
