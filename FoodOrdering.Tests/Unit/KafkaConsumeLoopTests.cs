using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FoodOrdering.Tests.Unit;

/// <summary>
/// The consume loop against a fake consumer, no broker: which records reach the delivery and which offsets move, when
/// partitions are revoked mid-batch, commits are refused, an error is fatal, the loop is stopped mid-batch, a record
/// fails alone, and the group is paused.
/// </summary>
public sealed class KafkaConsumeLoopTests
{
    private const string Topic = "loop-test";
    private const string Group = "loop-test-group";
    private static readonly TimeSpan Timeout = TestTimeouts.Call;
    private static readonly TopicPartition First = new(Topic, 0);
    private static readonly TopicPartition Second = new(Topic, 1);

    private readonly FakeLogger _logger = new();

    [Fact]
    public async Task RecordsOfAPartitionRevokedWhileTheirBatchWasGatheredAreNotWorkedOnAndTheOtherPartitionIsCommitted()
    {
        // Arrange
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(6));
        fake.Append(Second, Keys(6));
        // Both partitions have given records to the batch when the rebalance callback takes the second away.
        fake.OnConsume = f =>
        {
            if (f.ConsumeCalls == 5)
            {
                f.Revoke(Second);
            }
        };
        var delivery = new RecordingDelivery();

        // Act
        await RunUntilAsync(Loop(consumer, delivery, Options() with { MaxBatchSize = 12 }), () => fake.CommittedOffset(First) == 6,
            () => $"{First} committed at {fake.CommittedOffset(First)}");

        // Assert
        Assert.DoesNotContain(delivery.Done, record => record.TopicPartition == Second);
        Assert.Equal(Enumerable.Range(0, 6).Select(offset => new TopicPartitionOffset(First, offset)), delivery.Done);
        Assert.Null(fake.CommittedOffset(Second));
    }

    [Fact]
    public async Task APartitionTakenAwayWhileItsBatchIsWorkedOnIsNotCommittedAndTheOtherPartitionsAreAndTheLoopGoesOn()
    {
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(3));
        fake.Append(Second, Keys(3));
        // Lost while the batch is worked on, as when the work outlasts max.poll.interval.ms.
        var delivery = new RecordingDelivery((_, _) =>
        {
            fake.Revoke(Second);
            return Task.FromResult(BatchOutcome.Delivered);
        });

        await RunUntilAsync(Loop(consumer, delivery, Options() with { MaxBatchSize = 6 }), () =>
        {
            if (fake.CommittedOffset(First) == 3 && fake.End(First) == 3)
            {
                fake.Append(First, Keys(2));
            }

            return fake.CommittedOffset(First) == 5;
        }, () => $"{First} committed at {fake.CommittedOffset(First)}");

        Assert.Null(fake.CommittedOffset(Second));
        Assert.DoesNotContain(fake.Commits, commit => commit.TopicPartition == Second);
        Assert.Contains(_logger.Collector.GetSnapshot(), log => log.Id.Id == 1005 && log.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task ACommitTheBrokerRefusesIsMadeByALaterCommitWithNoRecordSkippedOrRepeatedAndNoneAheadOfTheWork()
    {
        // Arrange
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(10));
        var refusals = 3;
        fake.CommitFails = () => refusals-- > 0;
        var delivery = new RecordingDelivery();
        fake.WorkDoneBefore = delivery.DoneBefore;

        // Act
        await RunUntilAsync(Loop(consumer, delivery, Options() with { MaxBatchSize = 2 }), () => fake.CommittedOffset(First) == 10,
            () => $"{First} committed at {fake.CommittedOffset(First)}");

        // Assert
        Assert.Equal(Enumerable.Range(0, 10).Select(offset => new TopicPartitionOffset(First, offset)), delivery.Done);
        Assert.Empty(fake.CommittedAheadOfTheWork);
        Assert.Equal(3, _logger.Collector.GetSnapshot().Count(log => log.Id.Id == 1006));
        // Committed offsets only ever move forward.
        Assert.Equal(fake.Commits.Select(commit => commit.Offset.Value).Order(), fake.Commits.Select(commit => commit.Offset.Value));
    }

    [Fact]
    public async Task OffsetsWhoseCommitsWereRefusedUntilTheStopAreCommittedWhenTheConsumerCloses()
    {
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(4));
        var refusing = true;
        fake.CommitFails = () => refusing;
        var delivery = new RecordingDelivery();
        long? committedBeforeTheStop = -1;

        await RunUntilAsync(Loop(consumer, delivery, Options()), () =>
        {
            if (delivery.Done.Count < 4)
            {
                return false;
            }

            // The coordinator answers again just as the service stops: only the close can commit now.
            committedBeforeTheStop = fake.CommittedOffset(First);
            refusing = false;
            return true;
        }, () => $"{delivery.Done.Count} of 4 done");
        // The partitions' next member starts from what the close committed.
        var next = new RecordingDelivery();
        var callsBefore = fake.ConsumeCalls;
        await RunUntilAsync(Loop(consumer, next, Options()), () => fake.ConsumeCalls > callsBefore + 1, () => "not polled");

        Assert.Null(committedBeforeTheStop);
        Assert.Equal(4, fake.CommittedOffset(First));
        Assert.Empty(next.Done);
    }

    [Fact]
    public async Task AFatalConsumeErrorEndsTheLoopWithACriticalLogAndMovesNoOffset()
    {
        // Arrange
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(6));
        var delivery = new RecordingDelivery();
        fake.OnConsume = _ =>
        {
            if (delivery.Batches == 1)
            {
                throw new ConsumeException(new ConsumeResult<byte[], byte[]>(), new Error(ErrorCode.Local_Fatal, "fenced", isFatal: true));
            }
        };
        using var stop = new CancellationTokenSource();

        // Act
        var error = await Assert.ThrowsAsync<ConsumeException>(() => Loop(consumer, delivery, Options() with { MaxBatchSize = 3 }).RunAsync(stop.Token).WaitAsync(Timeout));

        // Assert
        Assert.True(error.Error.IsFatal);
        Assert.Contains(_logger.Collector.GetSnapshot(), log => log.Id.Id == 1007 && log.Level == LogLevel.Critical);
        Assert.Equal(3, fake.CommittedOffset(First));
        Assert.Equal(3, delivery.Done.Count);
        Assert.True(fake.Closed);
    }

    [Fact]
    public async Task AFatalErrorInTheLoopStopsItsHost()
    {
        var (consumer, fake) = FakeConsumer.Create();
        fake.OnConsume = _ => throw new KafkaException(new Error(ErrorCode.Local_Fatal, "fenced", isFatal: true));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHostedService(_ => new KafkaConsumeLoopWorker(Loop(consumer, new RecordingDelivery(), Options())));
        using var host = builder.Build();

        await host.StartAsync();
        await host.WaitForShutdownAsync().WaitAsync(Timeout);

        Assert.True(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.IsCancellationRequested);
        Assert.Contains(_logger.Collector.GetSnapshot(), log => log.Id.Id == 1007 && log.Level == LogLevel.Critical);
    }

    [Fact]
    public async Task AnExceptionTheDeliveryDoesNotExpectEndsTheLoopAndItsBatchIsNotCommitted()
    {
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(4));
        var delivery = new RecordingDelivery((batch, _) => batch[0].Offset.Value == 0
            ? Task.FromResult(BatchOutcome.Delivered)
            : throw new InvalidOperationException("a bug in the handler"));
        using var stop = new CancellationTokenSource();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Loop(consumer, delivery, Options() with { MaxBatchSize = 2 }).RunAsync(stop.Token).WaitAsync(Timeout));

        Assert.Equal(2, fake.CommittedOffset(First));
        Assert.Contains(_logger.Collector.GetSnapshot(), log => log.Id.Id == 1007 && log.Level == LogLevel.Critical);
    }

    [Fact]
    public async Task AStopWhileABatchIsDeliveredLetsItFinishThenCommitsItAndLeavesTheGroup()
    {
        // Arrange
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(3));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivery = new RecordingDelivery(async (_, token) =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(token);
            return BatchOutcome.Delivered;
        });
        using var stop = new CancellationTokenSource();
        var running = Loop(consumer, delivery, Options() with { MaxBatchSize = 3, DrainTimeout = Timeout }).RunAsync(stop.Token);
        await started.Task.WaitAsync(Timeout);

        // Act
        await stop.CancelAsync();
        var endedBeforeTheBatch = running.IsCompleted;
        release.SetResult();
        await running.WaitAsync(Timeout);

        // Assert
        Assert.False(endedBeforeTheBatch);
        Assert.Equal(3, delivery.Done.Count);
        Assert.Equal(3, fake.CommittedOffset(First));
        Assert.True(fake.Closed);
    }

    [Fact]
    public async Task ABatchStillUnfinishedWhenTheDrainTimesOutIsAbandonedWithItsOffsetsUnmovedAndTheNextMemberDoesItAgain()
    {
        // Arrange
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(3));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hanging = new RecordingDelivery(async (_, token) =>
        {
            started.TrySetResult();
            await Task.Delay(System.Threading.Timeout.Infinite, token);
            return BatchOutcome.Delivered;
        });
        using var stop = new CancellationTokenSource();
        var running = Loop(consumer, hanging, Options() with { MaxBatchSize = 3, DrainTimeout = TimeSpan.FromMilliseconds(50) }).RunAsync(stop.Token);
        await started.Task.WaitAsync(Timeout);

        // Act
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);
        var committedAfterTheStop = fake.CommittedOffset(First);
        var next = new RecordingDelivery();
        await RunUntilAsync(Loop(consumer, next, Options() with { MaxBatchSize = 3 }), () => fake.CommittedOffset(First) == 3,
            () => $"{First} committed at {fake.CommittedOffset(First)}");

        // Assert
        Assert.Empty(hanging.Done);
        Assert.Null(committedAfterTheStop);
        Assert.Equal(Enumerable.Range(0, 3).Select(offset => new TopicPartitionOffset(First, offset)), next.Done);
    }

    [Fact]
    public async Task WithOffsetsCommittedInTheTransactionAStopCancelsTheBatchAtOnceAndTheLoopStoresNoOffset()
    {
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(3));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transaction = new RecordingDelivery(async (_, token) =>
        {
            started.TrySetResult();
            await Task.Delay(System.Threading.Timeout.Infinite, token);
            return BatchOutcome.Delivered;
        });
        using var stop = new CancellationTokenSource();
        // A drain as long as the test's timeout: only a cancellation at the stop ends the loop in time.
        var options = new KafkaConsumeLoopOptions(Topic, Group, OffsetCommit.InTransaction) { MaxBatchSize = 3, DrainTimeout = Timeout * 2, IdleWait = TimeSpan.FromMilliseconds(20) };
        var running = Loop(consumer, transaction, options).RunAsync(stop.Token);
        await started.Task.WaitAsync(Timeout);

        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        Assert.Empty(transaction.Done);
        Assert.Empty(fake.Commits);
    }

    [Fact]
    public async Task AFailedBatchIsReplayedFromTheCommittedOffsetAndNothingIsCommittedUntilItIsDelivered()
    {
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(4));
        var failures = 2;
        var delivery = new RecordingDelivery((batch, _) => Task.FromResult(batch[0].Offset.Value == 2 && failures-- > 0 ? BatchOutcome.Failed : BatchOutcome.Delivered));
        fake.WorkDoneBefore = delivery.DoneBefore;

        await RunUntilAsync(Loop(consumer, delivery, Options() with { MaxBatchSize = 2 }), () => fake.CommittedOffset(First) == 4,
            () => $"{First} committed at {fake.CommittedOffset(First)}");

        Assert.Equal(Enumerable.Range(0, 4).Select(offset => new TopicPartitionOffset(First, offset)), delivery.Done);
        Assert.Equal([2L, 4L], fake.Commits.Select(commit => commit.Offset.Value));
        Assert.Equal(2, fake.Sought.Count(seek => seek == new TopicPartitionOffset(First, 2)));
        Assert.Empty(fake.CommittedAheadOfTheWork);
    }

    [Fact]
    public async Task ARecordThatFailsAloneIsSetAsideAndTheLoopCommitsPastItWithEveryOtherRecordDoneOnce()
    {
        // Arrange
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(8));
        RecordingDelivery? delivery = null;
        delivery = new RecordingDelivery((batch, _) =>
        {
            var bad = batch.Any(record => record.Offset.Value == 3);
            delivery!.ReachedDownstream = !bad;
            return Task.FromResult(bad ? BatchOutcome.Failed : BatchOutcome.Delivered);
        });
        fake.WorkDoneBefore = delivery.DoneBefore;

        // Act
        await RunUntilAsync(Loop(consumer, delivery, Options() with { MaxBatchSize = 8 }), () => fake.CommittedOffset(First) == 8,
            () => $"{First} committed at {fake.CommittedOffset(First)}");

        // Assert
        Assert.Equal([new TopicPartitionOffset(First, 3)], delivery.SetAside);
        Assert.Equal(Enumerable.Range(0, 8).Select(offset => new TopicPartitionOffset(First, offset)), delivery.Done.Order(Comparer<TopicPartitionOffset>.Create((a, b) => a.Offset.Value.CompareTo(b.Offset.Value))));
        Assert.Empty(fake.CommittedAheadOfTheWork);
    }

    [Fact]
    public async Task APausedGroupKeepsPollingWorksOnNoRecordAndCommitsNothingUntilTheResumeThenDoesEachRecordOnce()
    {
        // Arrange
        var states = new ConsumptionStates();
        states.Apply(new ConsumptionCommand(Group, true, DateTimeOffset.UtcNow, "operator"));
        var (consumer, fake) = FakeConsumer.Create();
        fake.Append(First, Keys(3));
        var delivery = new RecordingDelivery();
        var options = Options() with { MaxBatchSize = 3, Switch = new ConsumptionSwitch(Group, states) };
        using var stop = new CancellationTokenSource();
        var running = Loop(consumer, delivery, options).RunAsync(stop.Token);
        var pollsWhenGivenBack = 0;

        // Act
        // Records fetched and given back, and the loop polled on after that: it had them and held them.
        await Eventually.WaitUntilAsync(() =>
        {
            if (pollsWhenGivenBack == 0 && fake.Sought.Count > 0)
            {
                pollsWhenGivenBack = fake.ConsumeCalls;
            }

            return running.IsCompleted || (pollsWhenGivenBack > 0 && fake.ConsumeCalls > pollsWhenGivenBack + 2);
        }, Timeout, () => $"polled {fake.ConsumeCalls} times, given back {fake.Sought.Count} times");
        var doneWhilePaused = delivery.Done.Count;
        var pausedPartitions = fake.Paused.ToList();
        var commitsWhilePaused = fake.Commits.Count;
        states.Apply(new ConsumptionCommand(Group, false, DateTimeOffset.UtcNow, "operator"));
        await Eventually.WaitUntilAsync(() => running.IsCompleted || fake.CommittedOffset(First) == 3, Timeout,
            () => $"{First} committed at {fake.CommittedOffset(First)}");
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        // Assert
        Assert.Equal(0, doneWhilePaused);
        Assert.Equal(0, commitsWhilePaused);
        Assert.Equal([First], pausedPartitions);
        Assert.Equal(Enumerable.Range(0, 3).Select(offset => new TopicPartitionOffset(First, offset)), delivery.Done);
        Assert.Empty(fake.Paused);
    }

    private KafkaConsumeLoop Loop(IConsumer<string, byte[]> consumer, IBatchDelivery delivery, KafkaConsumeLoopOptions options) =>
        new(consumer, new KafkaConsumerMonitor(Group, TimeSpan.FromMinutes(1), statisticsEnabled: false), delivery, options, _logger);

    private static KafkaConsumeLoopOptions Options() => new(Topic, Group, OffsetCommit.StoreAndCommit)
    {
        MaxBatchWait = TimeSpan.FromMilliseconds(20),
        IdleWait = TimeSpan.FromMilliseconds(20),
        FirstRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(10),
    };

    private static string[] Keys(int count) => [.. Enumerable.Range(0, count).Select(i => $"key-{i}")];

    /// <summary>Runs the loop until <paramref name="done"/>, then stops it; fails when it ends on its own first.</summary>
    private static async Task RunUntilAsync(KafkaConsumeLoop loop, Func<bool> done, Func<string> describe)
    {
        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        try
        {
            await Eventually.WaitUntilAsync(() => done() || running.IsCompleted, Timeout, describe);
            Assert.False(running.IsCompleted, $"the loop ended on its own: {running.Exception?.InnerException}");
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(Timeout);
        }
    }
}
