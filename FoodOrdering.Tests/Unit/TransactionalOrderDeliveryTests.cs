using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using FoodOrdering.Tests.Support.Transactional;
using FoodOrdering.Transactions.OrderIds;

namespace FoodOrdering.Tests.Unit;

/// <summary>
/// The exactly-once delivery of Transactions (KIP-447) without a broker: one worker as the service builds it, on a
/// fake consumer and fake transactional producers whose log keeps every transaction. What the guarantee demands is
/// read off that log: outputs only in committed transactions, each carrying the batch's offsets with the consumer's
/// group metadata; after any failure a rewind to the committed offsets; every order confirmed once.
/// </summary>
public sealed class TransactionalOrderDeliveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EachBatchIsOneCommittedTransactionHoldingItsConfirmationsAndItsOffsetsWithTheGroupMetadata()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 4);
        var orders = rig.Receive(12);

        rig.Start();
        await AllCommittedAsync(rig, 6);

        Assert.Equal(orders.Select(order => order.OrderId).Order(), rig.ConfirmedIds().Order());
        Assert.All(rig.Log.Committed, transaction =>
        {
            Assert.IsType<FakeGroupMetadata>(transaction.GroupMetadata);
            // Each order's claim says which record it came from: the offsets sent are the next after them.
            var claimed = transaction.Records.Where(record => record.Partition.Topic == Topics.OrderIdClaims)
                .GroupBy(record => record.Partition.Partition)
                .Select(partition => new TopicPartitionOffset(Topics.OrdersReceived, partition.Key, 1 + partition.Max(record => ReceivedOffset(record.Message))));
            Assert.Equal(claimed.OrderBy(offset => offset.Partition.Value), transaction.Offsets.OrderBy(offset => offset.Partition.Value));
        });
        Assert.DoesNotContain(rig.Log.Transactions, transaction => transaction.State != FakeTransactionState.Committed);
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public async Task ABatchGatheredAcrossARebalanceIsDroppedUnwrittenAndReplayedFromTheCommittedOffsets()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 10);
        var first = rig.Receive(6);
        rig.Start();
        await AllCommittedAsync(rig, 3);
        var transactionsBefore = rig.Log.Transactions.Count;

        // The first partition is revoked (and given back) while the next batch is being gathered.
        rig.Consumer.DuringNextConsume(() => rig.Consumer.Rebalance(TransactionalWorkerRig.First));
        var second = rig.Receive(6);
        await AllCommittedAsync(rig, 6);

        Assert.Equal(first.Concat(second).Select(order => order.OrderId).Order(), rig.ConfirmedIds().Order());
        // Dropped before anything was written: no transaction was begun for it, none aborted.
        Assert.All(rig.Log.Transactions, transaction => Assert.Equal(FakeTransactionState.Committed, transaction.State));
        Assert.Equal(transactionsBefore + 1, rig.Log.Transactions.Count);
        // Both partitions rewound to what the transactions committed, the one kept as well as the one revoked.
        Assert.Contains(new TopicPartitionOffset(TransactionalWorkerRig.First, 3), rig.Consumer.Sought);
        Assert.Contains(new TopicPartitionOffset(TransactionalWorkerRig.Second, 3), rig.Consumer.Sought);
        // The replay took the rebalance's generation, so a member fenced by it could not have committed.
        Assert.Equal(new FakeGroupMetadata(2), rig.Log.Committed[^1].GroupMetadata);
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public async Task ACommitTheBrokerAbortsIsAbortedAndTheBatchReplayedFromTheCommittedOffsetsSoEachOrderIsConfirmedOnce()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 10);
        rig.Log.Fault = (call, count) => call == "Commit" && count == 1
            ? new KafkaTxnRequiresAbortException(new Error(ErrorCode.InvalidTxnState, "the coordinator aborted it"))
            : null;
        var orders = rig.Receive(6);

        rig.Start();
        await AllCommittedAsync(rig, 3);

        var aborted = Assert.Single(rig.Log.Transactions, transaction => transaction.State == FakeTransactionState.Aborted);
        Assert.NotEmpty(aborted.Records);
        Assert.Equal(orders.Select(order => order.OrderId).Order(), rig.ConfirmedIds().Order());
        Assert.Contains(new TopicPartitionOffset(TransactionalWorkerRig.First, Offset.Beginning), rig.Consumer.Sought);
        Assert.Contains(new TopicPartitionOffset(TransactionalWorkerRig.Second, Offset.Beginning), rig.Consumer.Sought);
        // Aborting worked, so the producer is kept.
        Assert.Single(rig.Producers.Built);
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public async Task ACommitWhoseOutcomeIsUnknownIsAskedAgainOnTheSameTransactionNeitherAbortedNorRepeated()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 10);
        rig.Log.Fault = (call, count) => call == "Commit" && count == 1
            ? new KafkaRetriableException(new Error(ErrorCode.Local_TimedOut, "the commit timed out"))
            : null;
        var orders = rig.Receive(6);

        rig.Start();
        await AllCommittedAsync(rig, 3);

        var transaction = Assert.Single(rig.Log.Transactions);
        Assert.Equal(FakeTransactionState.Committed, transaction.State);
        Assert.Equal(orders.Select(order => order.OrderId).Order(), rig.ConfirmedIds().Order());
        Assert.Empty(rig.Consumer.Sought);
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public async Task ACommitThatKeepsTimingOutIsAbortedAndTheBatchReplayedNothingOfItVisible()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 10);
        rig.Log.Fault = (call, count) => call == "Commit" && count <= 3
            ? new KafkaRetriableException(new Error(ErrorCode.Local_TimedOut, "the commit timed out"))
            : null;
        var orders = rig.Receive(6);

        rig.Start();
        await AllCommittedAsync(rig, 3);

        Assert.Equal(FakeTransactionState.Aborted, rig.Log.Transactions[0].State);
        Assert.Equal(orders.Select(order => order.OrderId).Order(), rig.ConfirmedIds().Order());
        Assert.Contains(new TopicPartitionOffset(TransactionalWorkerRig.First, Offset.Beginning), rig.Consumer.Sought);
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public async Task AFencedProducerIsGivenUpAndTheBatchReplayedByANewOneNeverByTheFencedOne()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 10);
        rig.Log.Fault = (call, count) => call == "SendOffsets" && count == 1
            ? new KafkaException(new Error(ErrorCode.ProducerFenced, "fenced by a newer producer", isFatal: true))
            : null;
        var orders = rig.Receive(6);

        rig.Start();
        await AllCommittedAsync(rig, 3);

        Assert.Equal(2, rig.Producers.Built.Count);
        var fenced = rig.Producers.Built[0];
        Assert.True(fenced.Disposed);
        Assert.DoesNotContain(rig.Log.Committed, transaction => transaction.Producer == fenced.Name);
        Assert.Equal(orders.Select(order => order.OrderId).Order(), rig.ConfirmedIds().Order());
        Assert.Contains(new TopicPartitionOffset(TransactionalWorkerRig.First, Offset.Beginning), rig.Consumer.Sought);
        // Any call on the fenced producer after the failure would be a violation.
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public async Task AFatalConsumerErrorStopsTheWorkerLoudlyWithNoTransactionLeftOpen()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 10);
        rig.Receive(6);
        rig.Start();
        await AllCommittedAsync(rig, 3);

        rig.Consumer.DuringNextConsume(() => throw new ConsumeException(
            new ConsumeResult<byte[], byte[]>(), new Error(ErrorCode.Local_Fatal, "the consumer failed fatally", isFatal: true)));
        rig.Receive(2);

        var stopped = await Assert.ThrowsAsync<ConsumeException>(() => rig.Running.WaitAsync(Timeout));
        Assert.True(stopped.Error.IsFatal);
        Assert.DoesNotContain(rig.Log.Transactions, transaction => transaction.State == FakeTransactionState.Open);
        Assert.True(Assert.Single(rig.Producers.Built).Disposed);
        Assert.Empty(rig.Log.Violations);
    }

    [Fact]
    public async Task AStopWhileATransactionCommitsLetsItCommitWithItsOffsetsAndBeginsNoOther()
    {
        await using var rig = new TransactionalWorkerRig(maxBatchSize: 4);
        using var committing = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        rig.Log.Fault = (call, count) =>
        {
            if (call == "Commit" && count == 1)
            {
                committing.Release();
                Assert.True(release.Wait(Timeout));
            }

            return null;
        };
        rig.Receive(12);

        rig.Start();
        Assert.True(await committing.WaitAsync(Timeout));
        var stopping = rig.StopAsync();
        release.Release();
        await stopping;

        var transaction = Assert.Single(rig.Log.Transactions);
        Assert.Equal(FakeTransactionState.Committed, transaction.State);
        Assert.Equal(4, rig.ConfirmedIds().Count);
        Assert.Equal(
            [new TopicPartitionOffset(TransactionalWorkerRig.First, 2), new TopicPartitionOffset(TransactionalWorkerRig.Second, 2)],
            transaction.Offsets.OrderBy(offset => offset.Partition.Value));
        Assert.True(Assert.Single(rig.Producers.Built).Disposed);
        Assert.True(rig.Consumer.Closed);
        Assert.Empty(rig.Log.Violations);
    }

    private static long ReceivedOffset(Message<string, byte[]> claim) =>
        System.Text.Json.JsonSerializer.Deserialize(claim.Value, OrderIdClaimJsonContext.Default.OrderIdClaim)!.ReceivedOffset;

    private static Task AllCommittedAsync(TransactionalWorkerRig rig, long perPartition) => Eventually.WaitUntilAsync(
        () => rig.Log.CommittedOffset(TransactionalWorkerRig.First) == perPartition && rig.Log.CommittedOffset(TransactionalWorkerRig.Second) == perPartition,
        Timeout,
        () => $"committed {rig.Log.CommittedOffset(TransactionalWorkerRig.First)} and {rig.Log.CommittedOffset(TransactionalWorkerRig.Second)}, not {perPartition} each; "
            + $"transactions {string.Join(", ", rig.Log.Transactions.Select(transaction => transaction.State))}; violations {string.Join("; ", rig.Log.Violations)}");
}
