using Confluent.Kafka;
using FoodOrdering.Kafka;

namespace FoodOrdering.Tests.Unit;

/// <summary>Taking apart a batch that keeps failing, against a scripted delivery: no broker.</summary>
public sealed class BatchIsolationTests
{
    private const string Topic = "isolation-test";

    [Fact]
    public async Task ARecordThatFailsAloneWhileTheOthersGetThroughIsSetAsideAndEveryOtherRecordIsDeliveredOnce()
    {
        // Arrange
        var batch = Records(64);
        var delivery = new ScriptedDelivery(record => record.Message.Key != "key-17");
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);

        // Act
        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        // Assert
        Assert.Equal(BatchOutcome.Delivered, outcome);
        Assert.Equal([17L], delivery.SetAside);
        Assert.Equal(batch.Select(record => record.Offset.Value).Where(offset => offset != 17), delivery.Delivered.Order());
        Assert.Equal(2, delivery.Attempts.Count(offset => offset == 17));
        Assert.Equal(batch.Select(record => record.TopicPartitionOffset).ToHashSet(), isolation.Settled);
    }

    [Fact]
    public async Task WhenEveryRecordFailsAloneNothingIsSetAsideAndOnlyAFewAreTried()
    {
        var batch = Records(64);
        var delivery = new ScriptedDelivery(_ => false);
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);

        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        Assert.Equal(BatchOutcome.Failed, outcome);
        Assert.Empty(delivery.SetAside);
        Assert.Equal([0L, 1L, 2L], delivery.Attempts);
        Assert.Empty(isolation.Settled);
    }

    [Fact]
    public async Task ARunOfBadRecordsAtTheHeadOfABatchIsNotTakenForAnOutageTheNextTime()
    {
        var batch = Records(10);
        var bad = new HashSet<long> { 0, 1, 2, 3 };
        var delivery = new ScriptedDelivery(record => !bad.Contains(record.Offset.Value));
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);

        var first = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);
        var second = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        Assert.Equal(BatchOutcome.Failed, first);
        Assert.Equal(BatchOutcome.Delivered, second);
        Assert.Equal(bad, delivery.SetAside.ToHashSet());
        Assert.Equal(Enumerable.Range(4, 6).Select(offset => (long)offset), delivery.Delivered.Order());
    }

    [Fact]
    public async Task TheRecordsOfAFailingRecordsKeyWaitBehindItAndTheOthersGoOn()
    {
        // Offsets 0..5; 1 and 4 share the key of 1, which fails alone every time.
        var batch = Records(6, keyOf: offset => offset is 1 or 4 ? "same" : $"key-{offset}");
        var delivery = new ScriptedDelivery(record => record.Offset.Value != 1);
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);

        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        // 4 was not delivered before 1 was settled; the loop replays it at once.
        Assert.Equal(BatchOutcome.Discarded, outcome);
        Assert.Equal([1L], delivery.SetAside);
        Assert.DoesNotContain(4L, delivery.Attempts);
        Assert.Equal([0L, 2L, 3L, 5L], delivery.Delivered.Order());
    }

    [Fact]
    public async Task WithOffsetsCommittedInTheTransactionNoRecordOfAPartitionGoesBeforeAnEarlierOneIsSettled()
    {
        var batch = Records(6);
        var delivery = new ScriptedDelivery(record => record.Offset.Value != 2);
        var isolation = new BatchIsolation(OffsetCommit.InTransaction, maxFailuresInARow: 3);

        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        // Nothing got through after 2 failed, so nothing shows it is 2's own failure: wait, and replay.
        Assert.Equal(BatchOutcome.Discarded, outcome);
        Assert.Empty(delivery.SetAside);
        Assert.Equal([0L, 1L, 2L], delivery.Attempts);
    }

    [Fact]
    public async Task ARecordThatFailedAfterTheLastRecordThatGotThroughIsNotSetAside()
    {
        // The downstream goes down at offset 5: everything from there on fails.
        var batch = Records(8);
        var delivery = new ScriptedDelivery(record => record.Offset.Value < 5);
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);

        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        Assert.Equal(BatchOutcome.Discarded, outcome);
        Assert.Empty(delivery.SetAside);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], delivery.Delivered.Order());
    }

    [Fact]
    public async Task ARecordOnlySkippedAsDoneOrDeadLetteredUnreadIsNoSignThatTheDownstreamWorks()
    {
        // The downstream is down; the odd records need it not (done before the batch failed, or unreadable).
        var batch = Records(8);
        var delivery = new ScriptedDelivery(_ => false) { Skips = record => record.Offset.Value % 2 == 1 };
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);

        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        Assert.Equal(BatchOutcome.Failed, outcome);
        Assert.Empty(delivery.SetAside);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], delivery.Attempts);
    }

    [Fact]
    public async Task ARecordSeenFailingWhileOthersWereTakenIsSetAsideThoughItIsTheLastOneLeft()
    {
        // Everything else of the batch was taken beside it before the batch failed.
        var batch = Records(1);
        var delivery = new ScriptedDelivery(_ => false) { Evidence = _ => true };
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);

        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        Assert.Equal([0L], delivery.SetAside);
    }

    [Fact]
    public async Task ThatEarlierSightDoesNotSetARecordAsideWhileOtherRecordsFailAloneWithNothingToShow()
    {
        // The downstream went down just after others were taken beside record 0.
        var batch = Records(3);
        var delivery = new ScriptedDelivery(_ => false) { Evidence = record => record.Offset.Value == 0 };
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);

        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        Assert.Equal(BatchOutcome.Failed, outcome);
        Assert.Empty(delivery.SetAside);
    }

    [Fact]
    public async Task WhatWasSettledWhileIsolatingIsNotDeliveredAgain()
    {
        var batch = Records(6);
        var downstreamUp = false;
        var delivery = new ScriptedDelivery(record => downstreamUp || record.Offset.Value < 3);
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);
        await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        downstreamUp = true;
        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L], delivery.Delivered.Order());
        Assert.Empty(delivery.SetAside);
    }

    [Fact]
    public async Task ARecordWhoseFailureCannotBeWrittenNowFailsTheIsolation()
    {
        var batch = Records(4);
        var delivery = new ScriptedDelivery(record => record.Offset.Value != 1) { CanSetAside = false };
        var isolation = new BatchIsolation(OffsetCommit.StoreAndCommit, maxFailuresInARow: 3);

        var outcome = await isolation.IsolateAsync(batch, delivery, CancellationToken.None);

        Assert.Equal(BatchOutcome.Failed, outcome);
        Assert.DoesNotContain(new TopicPartitionOffset(Topic, 0, 1), isolation.Settled);
    }

    private static List<ConsumeResult<string, byte[]>> Records(int count, Func<long, string>? keyOf = null) =>
        [.. Enumerable.Range(0, count).Select(offset => new ConsumeResult<string, byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(Topic, 0, offset),
            Message = new Message<string, byte[]> { Key = keyOf?.Invoke(offset) ?? $"key-{offset}", Value = [] },
        })];

    /// <summary>Delivers a single record when <c>succeeds</c> says so; remembers every attempt, delivery and set-aside.</summary>
    private sealed class ScriptedDelivery(Func<ConsumeResult<string, byte[]>, bool> succeeds) : IBatchDelivery
    {
        public List<long> Attempts { get; } = [];

        public List<long> Delivered { get; } = [];

        public List<long> SetAside { get; } = [];

        public bool CanSetAside { get; init; } = true;

        public bool ReachedDownstream { get; private set; }

        /// <summary>Records seen failing while others were taken (before the isolation).</summary>
        public Func<ConsumeResult<string, byte[]>, bool> Evidence { get; init; } = _ => false;

        public bool FailedWhileOthersWereTaken(ConsumeResult<string, byte[]> record) => Evidence(record);

        /// <summary>Records delivered without reaching the downstream.</summary>
        public Func<ConsumeResult<string, byte[]>, bool> Skips { get; init; } = _ => false;

        public Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
        {
            var record = Assert.Single(batch);
            Attempts.Add(record.Offset.Value);
            ReachedDownstream = succeeds(record);
            if (Skips(record))
            {
                return Task.FromResult(BatchOutcome.Delivered);
            }

            if (!succeeds(record))
            {
                return Task.FromResult(BatchOutcome.Failed);
            }

            Delivered.Add(record.Offset.Value);
            return Task.FromResult(BatchOutcome.Delivered);
        }

        public Task<bool> SetAsideAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
        {
            if (CanSetAside)
            {
                SetAside.Add(record.Offset.Value);
            }

            return Task.FromResult(CanSetAside);
        }
    }
}
