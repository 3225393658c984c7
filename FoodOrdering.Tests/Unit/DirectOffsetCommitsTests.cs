using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded.Clients;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support.Transactional;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FoodOrdering.Tests.Unit;

/// <summary>
/// The embedded mode's stand-in for the offsets librdkafka's mock broker does not store (FoodOrdering.Embedded.Clients),
/// without a broker: what it adds to a worker on the mock broker, and that it is switched on only where asked.
/// </summary>
public sealed class DirectOffsetCommitsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TopicPartition First = TransactionalWorkerRig.First;
    private static readonly TopicPartition Second = TransactionalWorkerRig.Second;

    [Fact]
    public async Task OnTheMockBrokerEveryCommittedTransactionsOffsetsAreCommittedThroughTheConsumerToo()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 4, onMockBroker: true, withDirectOffsetCommits: true);
        var orders = rig.Receive(12);

        rig.Start();
        await Support.Eventually.WaitUntilAsync(
            () => rig.Consumer.CommittedDirectly.GetValueOrDefault(First) == 6 && rig.Consumer.CommittedDirectly.GetValueOrDefault(Second) == 6,
            Timeout,
            () => $"committed directly: {string.Join(", ", rig.Consumer.CommittedDirectly)}");

        Assert.Equal(orders.Select(order => order.OrderId).Order(), rig.ConfirmedIds().Order());
        Assert.All(rig.Log.Transactions, transaction => Assert.Equal(FakeTransactionState.Committed, transaction.State));
        // Confluent's producer takes only the metadata its consumer made: the stand-in's wrapper never reaches it.
        Assert.All(rig.Log.Committed, transaction => Assert.IsType<FakeGroupMetadata>(transaction.GroupMetadata));
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public async Task OnTheMockBrokerAReplayAfterAnAbortStartsFromTheOffsetsCommittedDirectlyNotFromTheBeginning()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 10, onMockBroker: true, withDirectOffsetCommits: true);
        var first = rig.Receive(6);
        rig.Start();
        await Support.Eventually.WaitUntilAsync(() => rig.Log.Committed.Count == 1, Timeout, () => $"{rig.Log.Transactions.Count} transactions");
        rig.Log.Fault = (call, count) => call == "Commit" && count == 2
            ? new KafkaTxnRequiresAbortException(new Error(ErrorCode.InvalidTxnState, "the coordinator aborted it"))
            : null;

        var second = rig.Receive(6);
        await Support.Eventually.WaitUntilAsync(() => rig.Log.Committed.Count == 2, Timeout, () => $"{rig.Log.Transactions.Count} transactions");

        Assert.Equal(first.Concat(second).Select(order => order.OrderId).Order(), rig.ConfirmedIds().Order());
        Assert.Contains(new TopicPartitionOffset(First, 3), rig.Consumer.Sought);
        Assert.DoesNotContain(new TopicPartitionOffset(First, Offset.Beginning), rig.Consumer.Sought);
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public async Task OnTheMockBrokerAMovingPartitionsPendingOffsetsAreCommittedInsideTheRevocationBeforeTheWorkerDropsItsBatch()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 10, onMockBroker: true, withDirectOffsetCommits: true);
        var first = rig.Receive(6);
        rig.Start();
        await Support.Eventually.WaitUntilAsync(() => rig.Consumer.CommittedDirectly.GetValueOrDefault(First) == 3, Timeout, () => "the first direct commit");
        rig.Consumer.RefusesCommitsOutsideRebalance = true;
        var second = rig.Receive(2); // committed in a transaction; its direct commit refused, so pending
        await Support.Eventually.WaitUntilAsync(() => rig.Log.Committed.Count == 2, Timeout, () => $"{rig.Log.Transactions.Count} transactions");

        rig.Consumer.DuringNextConsume(() => rig.Consumer.Rebalance(First));
        var third = rig.Receive(2);
        await Support.Eventually.WaitUntilAsync(() => rig.Log.Committed.Count == 3, Timeout, () => $"{rig.Log.Transactions.Count} transactions");

        // Inside the callback the first partition's offset landed; the second's stays pending, and the rewind reads it.
        Assert.Equal(4, rig.Consumer.CommittedDirectly[First]);
        Assert.Equal(3, rig.Consumer.CommittedDirectly[Second]);
        Assert.Contains(new TopicPartitionOffset(First, 4), rig.Consumer.Sought);
        Assert.Contains(new TopicPartitionOffset(Second, 4), rig.Consumer.Sought);
        Assert.Equal(first.Concat(second).Concat(third).Select(order => order.OrderId).Order(), rig.ConfirmedIds().Order());
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public void AnAbortedTransactionCommitsNothingThroughTheConsumerAndACommittedOneItsOffsets()
    {
        var log = new FakeTransactionLog();
        var (inner, fake) = FakeOrdersConsumer.Create(log, First, Second);
        var consumer = new DirectlyCommittingConsumer(inner, new DirectOffsetCommits(inner, NullLogger.Instance));
        using var producer = new DirectlyCommittingProducer(new FakeTransactionalProducer(log, "producer"));

        producer.BeginTransaction();
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(First, 5)], consumer.ConsumerGroupMetadata, Timeout);
        producer.AbortTransaction(Timeout);
        var afterAbort = fake.CommittedDirectly.Count;
        producer.BeginTransaction();
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(First, 7)], consumer.ConsumerGroupMetadata, Timeout);
        producer.CommitTransaction(Timeout);

        Assert.Equal(0, afterAbort);
        Assert.Equal(new Dictionary<TopicPartition, Offset> { [First] = 7 }, fake.CommittedDirectly);
    }

    [Fact]
    public void AFailedDirectCommitStaysPendingAsTheCommittedPositionIsCommittedInTheRevocationOrAfterAnEmptyPollAndDroppedWhenLost()
    {
        var log = new FakeTransactionLog();
        var (inner, fake) = FakeOrdersConsumer.Create(log, First, Second);
        var commits = new DirectOffsetCommits(inner, NullLogger.Instance);
        var consumer = new DirectlyCommittingConsumer(inner, commits);
        var refused = new KafkaException(new Error(ErrorCode.NotCoordinatorForGroup, "the coordinator moved"));
        fake.StoresTransactionalOffsets = false;

        fake.CommitFailure = refused;
        commits.Committed([new TopicPartitionOffset(First, 4), new TopicPartitionOffset(Second, 9)]);
        var pending = consumer.Committed([First, Second], Timeout);
        fake.CommitFailure = null;
        consumer.Consume(TimeSpan.Zero); // finds nothing
        var beforeTheRetry = fake.CommittedDirectly.Count;
        commits.Revoked(inner, [new TopicPartitionOffset(Second, Offset.Unset)]); // the rebalance callback, as the second partition moves
        var atTheRevocation = new Dictionary<TopicPartition, Offset>(fake.CommittedDirectly);
        consumer.Consume(TimeSpan.Zero); // the retry after the empty poll
        fake.CommitFailure = refused;
        commits.Committed([new TopicPartitionOffset(First, 6)]);
        commits.Lost([new TopicPartitionOffset(First, Offset.Unset)]);
        fake.CommitFailure = null;
        consumer.Consume(TimeSpan.Zero);
        consumer.Consume(TimeSpan.Zero);

        Assert.Equal([new TopicPartitionOffset(First, 4), new TopicPartitionOffset(Second, 9)], pending);
        Assert.Equal(0, beforeTheRetry);
        Assert.Equal(new Dictionary<TopicPartition, Offset> { [Second] = 9 }, atTheRevocation);
        Assert.Equal(new Dictionary<TopicPartition, Offset> { [First] = 4, [Second] = 9 }, fake.CommittedDirectly);
    }

    [Fact]
    public void AMovingPartitionsPendingOffsetIsCommittedInsideTheRevocationEvenWhileTheOtherMembersHaveNotSyncedYet()
    {
        var log = new FakeTransactionLog();
        var (inner, fake) = FakeOrdersConsumer.Create(log, First, Second);
        var commits = new DirectOffsetCommits(inner, NullLogger.Instance);
        fake.StoresTransactionalOffsets = false;
        fake.CommitFailure = new KafkaException(new Error(ErrorCode.NotCoordinatorForGroup, "the coordinator moved"));
        commits.Committed([new TopicPartitionOffset(Second, 9)]);
        fake.CommitFailure = null;

        // REBALANCE_IN_PROGRESS is the usual answer at the moment of revocation; dropped on it, the new owner would
        // price again every order since the last commit that landed.
        fake.CommitsRefusedWhileRebalancing = 3;
        commits.Revoked(inner, [new TopicPartitionOffset(Second, Offset.Unset)]);

        Assert.Equal(0, fake.CommitsRefusedWhileRebalancing);
        Assert.Equal(new Dictionary<TopicPartition, Offset> { [Second] = 9 }, fake.CommittedDirectly);
    }

    [Theory]
    [InlineData(ErrorCode.RebalanceInProgress)]
    [InlineData(ErrorCode.IllegalGeneration)]
    [InlineData(ErrorCode.UnknownMemberId)]
    public void ADirectCommitRefusedWhileTheGroupRebalancesIsInformationUntilItKeepsBeingRefused(ErrorCode refusal)
    {
        var log = new FakeTransactionLog();
        var (inner, fake) = FakeOrdersConsumer.Create(log, First, Second);
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        var commits = new DirectOffsetCommits(inner, logger);
        fake.StoresTransactionalOffsets = false;

        // A rebalance refuses a few commits in a row; a commit that lands ends it, so the next rebalance gets as many.
        fake.CommitFailure = new KafkaException(new Error(refusal, "the group moved on"));
        for (var offset = 1; offset <= 5; offset++)
        {
            commits.Committed([new TopicPartitionOffset(First, offset)]);
        }

        fake.CommitFailure = null;
        commits.TryCommit();
        fake.CommitFailure = new KafkaException(new Error(refusal, "the group moved on"));
        for (var offset = 6; offset <= 11; offset++)
        {
            commits.Committed([new TopicPartitionOffset(First, offset)]);
        }

        var levels = logger.Collector.GetSnapshot().Select(record => record.Level).ToList();
        Assert.Equal(Enumerable.Repeat(LogLevel.Information, 10).Append(LogLevel.Warning), levels);
        Assert.Equal(new Dictionary<TopicPartition, Offset> { [First] = 5 }, fake.CommittedDirectly);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheTransactionsServiceDecoratesItsClientsOnlyWhenTheEmbeddedModesSwitchIsOn(bool switchedOn)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "FoodOrdering.Transactions", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = "localhost:1",
            [EmbeddedBrokerOffsetCommitsExtensions.CommitOffsetsAfterTransaction] = switchedOn ? "true" : null,
        });
        FoodOrdering.Transactions.Extensions.AddApplicationServices(builder);
        using var services = builder.Services.BuildServiceProvider();

        using var consumers = services.GetRequiredKeyedService<KafkaConsumerFactory<string, byte[]>>(ConsumerGroups.Transactions);
        var consumer = consumers.Create(0).Consumer;
        var producers = services.GetRequiredService<ITransactionalProducerFactory>();

        Assert.Equal(switchedOn, consumer is DirectlyCommittingConsumer);
        Assert.Equal(switchedOn, producers is DirectlyCommittingProducerFactory);
    }
}
