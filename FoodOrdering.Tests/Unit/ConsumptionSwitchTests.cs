using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Unit;

/// <summary>The consume loop's pause hook against a fake consumer: what is paused, what is given back, what resumes.</summary>
public sealed class ConsumptionSwitchTests
{
    private const string Group = "emails";
    private static readonly TopicPartition First = new(Topics.OrdersConfirmed, 0);
    private static readonly TopicPartition Second = new(Topics.OrdersConfirmed, 1);

    [Fact]
    public void APauseHoldsEveryAssignedPartitionAndThoseAssignedLaterUntilTheResume()
    {
        var states = new ConsumptionStates();
        var (consumer, fake) = FakeConsumer.Create();
        fake.Assigned.Add(First);
        var consumption = new ConsumptionSwitch(Group, states);

        states.Apply(Command(paused: true));
        consumption.Hold(consumer, Monitor, []);
        var pausedAtFirst = fake.Paused.ToList();
        fake.Assigned.Add(Second); // a rebalance hands the paused consumer another partition
        consumption.Hold(consumer, Monitor, []);
        var pausedAfterRebalance = fake.Paused.ToList();
        states.Apply(Command(paused: false));
        consumption.Hold(consumer, Monitor, []);

        Assert.Equal([First], pausedAtFirst);
        Assert.Equal([First, Second], pausedAfterRebalance.OrderBy(p => p.Partition.Value));
        Assert.Empty(fake.Paused);
    }

    [Fact]
    public void RecordsFetchedBeforeThePauseTookHoldAreGivenBackFromTheFirstOfEachPartition()
    {
        var states = new ConsumptionStates();
        var (consumer, fake) = FakeConsumer.Create();
        fake.Assigned.AddRange([First, Second]);
        var consumption = new ConsumptionSwitch(Group, states);
        List<ConsumeResult<string, byte[]>> batch = [Record(First, 7), Record(First, 8), Record(Second, 3)];

        states.Apply(Command(paused: true));
        var held = consumption.Hold(consumer, Monitor, batch);

        Assert.Empty(held);
        Assert.Equal([new TopicPartitionOffset(First, 7), new TopicPartitionOffset(Second, 3)], fake.Sought);
    }

    [Fact]
    public void AGroupNobodyPausedWorksOnEveryRecordAndAnotherGroupsPauseDoesNotTouchIt()
    {
        var states = new ConsumptionStates();
        var (consumer, fake) = FakeConsumer.Create();
        fake.Assigned.Add(First);
        var consumption = new ConsumptionSwitch(Group, states);
        List<ConsumeResult<string, byte[]>> batch = [Record(First, 1)];

        states.Apply(Command(paused: true) with { ConsumerGroup = ConsumerGroups.Transactions });
        var held = consumption.Hold(consumer, Monitor, batch);

        Assert.Same(batch, held);
        Assert.Empty(fake.Paused);
        Assert.Empty(fake.Sought);
    }

    private static readonly KafkaConsumerMonitor Monitor = new(Group, TimeSpan.FromMinutes(1), statisticsEnabled: false);

    private static ConsumptionCommand Command(bool paused) => new(Group, paused, DateTimeOffset.UtcNow, "operator");

    private static ConsumeResult<string, byte[]> Record(TopicPartition partition, long offset) =>
        new() { TopicPartitionOffset = new TopicPartitionOffset(partition, offset), Message = new Message<string, byte[]> { Key = "k", Value = [] } };
}
