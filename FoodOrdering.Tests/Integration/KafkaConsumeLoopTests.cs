using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>The shared consume loop on the embedded broker: dead-lettering without stopping, and where a rewind resumes.</summary>
public sealed class KafkaConsumeLoopTests : IDisposable
{
    private const string Topic = "loop-test";
    private const string Group = "loop-test-group";
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    private readonly EmbeddedKafkaCluster _kafka = EmbeddedKafkaCluster.Start(1, partitions: 1, [Topic, Topics.DeadLetter(Topic)]);

    public void Dispose() => _kafka.Dispose();

    [Fact]
    public async Task AMessageTheHandlerKeepsFailingOnIsDeadLetteredWithTheSharedHeadersAndTheLoopGoesOn()
    {
        await ProduceAsync("good-1", "bad", "good-2");
        var handler = new Handler(message => message == "bad" ? throw new InvalidOperationException("no such order") : Task.CompletedTask);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        var delivery = new MessageHandlerDelivery<string>(Group, StringTypeInfo(), 2, handler, MessageFailurePolicy.Complete(new FailurePolicy<Exception>()), producer,
            new DeadLetters(Group, NullLogger<DeadLetters>.Instance), NullLogger.Instance);

        await RunLoopAsync(delivery, OffsetCommit.StoreAndCommit, () => handler.Handled.Count == 2 && CommittedOffset() == 3,
            () => $"handled [{string.Join(", ", handler.Handled)}], committed {CommittedOffset()}");

        Assert.Equal(["good-1", "good-2"], handler.Handled.Order());
        var deadLetter = Assert.Single(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
        Assert.Equal("bad", deadLetter.Message.Key);
        Assert.Equal("\"bad\"", Encoding.UTF8.GetString(deadLetter.Message.Value));
        Assert.Equal(DeadLetterReasons.Unprocessable, Header(deadLetter, DeadLetterHeaders.Reason));
        Assert.Equal("no such order", Header(deadLetter, DeadLetterHeaders.Error));
        Assert.Equal(typeof(InvalidOperationException).FullName, Header(deadLetter, DeadLetterHeaders.ErrorType));
        Assert.Equal(Topic, Header(deadLetter, DeadLetterHeaders.SourceTopic));
        Assert.Equal("0", Header(deadLetter, DeadLetterHeaders.SourcePartition));
        Assert.Equal("1", Header(deadLetter, DeadLetterHeaders.SourceOffset));
        Assert.Equal(Group, Header(deadLetter, DeadLetterHeaders.ConsumerGroup));
    }

    [Fact]
    public async Task WhileTheDownstreamIsUnavailableTheBatchIsReplayedAndNothingItFinishedIsDoneAgain()
    {
        await ProduceAsync("bad", "good-1", "down", "good-2");
        var refusals = 0;
        var handler = new Handler(message => message switch
        {
            "bad" => throw new InvalidOperationException("no such order"),
            "down" when ++refusals <= 3 => throw new DownstreamUnavailableException("the server takes nothing now"),
            _ => Task.CompletedTask,
        });
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        var delivery = new MessageHandlerDelivery<string>(Group, StringTypeInfo(), 1, handler, MessageFailurePolicy.Complete(new FailurePolicy<Exception>()), producer,
            new DeadLetters(Group, NullLogger<DeadLetters>.Instance), NullLogger.Instance);

        await RunLoopAsync(delivery, OffsetCommit.StoreAndCommit, () => CommittedOffset() == 4,
            () => $"handled [{string.Join(", ", handler.Handled)}] after {refusals} refusals, committed {CommittedOffset()}");

        Assert.Equal(4, refusals);
        Assert.Equal(["down", "good-1", "good-2"], handler.Handled.Order());
        var deadLetter = Assert.Single(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
        Assert.Equal("bad", deadLetter.Message.Key);
    }

    [Fact]
    public async Task ARecordThatFailsEveryTimeAsIfTheDownstreamWereDownIsSetAsideAndEveryOtherRecordIsHandledOnce()
    {
        // Arrange: the handler cannot tell this failure from an outage, and it never passes.
        var keys = Enumerable.Range(0, 30).Select(i => i == 11 ? "cursed" : $"order-{i}").ToArray();
        await ProduceAsync(keys);
        var handler = new Handler(message => message == "cursed" ? throw new DownstreamUnavailableException("502 5.5.2 what is this") : Task.CompletedTask);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        var delivery = new MessageHandlerDelivery<string>(Group, StringTypeInfo(), 4, handler, MessageFailurePolicy.Complete(new FailurePolicy<Exception>()), producer,
            new DeadLetters(Group, NullLogger<DeadLetters>.Instance), NullLogger.Instance);

        // Act
        await RunLoopAsync(delivery, OffsetCommit.StoreAndCommit, () => CommittedOffset() == keys.Length,
            () => $"handled {handler.Handled.Count} of {keys.Length - 1}, committed {CommittedOffset()}");

        // Assert
        Assert.Equal(keys.Where(key => key != "cursed").Order(), handler.Handled.Order());
        var deadLetter = Assert.Single(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
        Assert.Equal("cursed", deadLetter.Message.Key);
        Assert.Equal(DeadLetterReasons.FailsAlone, Header(deadLetter, DeadLetterHeaders.Reason));
        Assert.Equal("502 5.5.2 what is this", Header(deadLetter, DeadLetterHeaders.Error));
    }

    [Fact]
    public async Task WhileEveryRecordFailsNothingIsSetAsideAndNothingIsCommitted()
    {
        await ProduceAsync("a", "b", "c", "d", "e");
        var down = true;
        var refusals = 0;
        var handler = new Handler(_ => Volatile.Read(ref down) && Interlocked.Increment(ref refusals) > 0 ? throw new DownstreamUnavailableException("the server takes nothing now") : Task.CompletedTask);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        var delivery = new MessageHandlerDelivery<string>(Group, StringTypeInfo(), 2, handler, MessageFailurePolicy.Complete(new FailurePolicy<Exception>()), producer,
            new DeadLetters(Group, NullLogger<DeadLetters>.Instance), NullLogger.Instance);

        await RunLoopAsync(delivery, OffsetCommit.StoreAndCommit, () =>
        {
            // Well past the isolations of several replays, the downstream comes back.
            if (Volatile.Read(ref refusals) >= 40)
            {
                Volatile.Write(ref down, false);
            }

            return CommittedOffset() == 5;
        }, () => $"{refusals} refusals, handled {handler.Handled.Count}, committed {CommittedOffset()}");

        Assert.Equal(["a", "b", "c", "d", "e"], handler.Handled.Order());
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(2L)]
    public async Task AFailedBatchIsReplayedFromTheCommittedOffsetOrTheBeginningWhenNoneIs(long? committed)
    {
        await ProduceAsync("a", "b", "c", "d", "e");
        if (committed is { } offset)
        {
            Commit(offset);
        }

        var delivery = new FailingOnce();
        await RunLoopAsync(delivery, OffsetCommit.StoreAndCommit, () => CommittedOffset() == 5,
            () => $"batches [{string.Join("; ", delivery.Batches.Select(batch => string.Join(",", batch)))}], committed {CommittedOffset()}");

        var start = committed ?? 0;
        var expected = Enumerable.Range((int)start, 5 - (int)start).Select(offset => (long)offset).ToList();
        // The replay starts where the failed batch did: nothing skipped, nothing from before the committed offset.
        Assert.True(delivery.Batches.Count >= 2, $"{delivery.Batches.Count} batches");
        Assert.Equal(start, delivery.Batches[0][0]);
        Assert.Equal(expected, delivery.Batches.Skip(1).SelectMany(batch => batch));
    }

    [Fact]
    public async Task ABatchThatKeepsFailingIsReplayedWithAGrowingBackoffThoughTheFetchAfterEachRewindComesBackEmpty()
    {
        await ProduceAsync("a", "b");
        var delivery = new FailingAlways();
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();

        // An idle wait far below the broker's fetch wait makes the pass after each rewind find nothing.
        // Counted in replays, not deliveries: after the second failure each pass also tries the records alone.
        await RunLoopAsync(delivery, OffsetCommit.StoreAndCommit, () => logger.Collector.GetSnapshot().Count(record => record.Id.Id == 1003) >= 5,
            () => $"{delivery.Attempts} attempts", idleWait: TimeSpan.FromMilliseconds(20), logger: logger);

        var attempts = logger.Collector.GetSnapshot()
            .Where(record => record.Id.Id == 1003)
            .Select(record => int.Parse(record.StructuredState!.Single(pair => pair.Key == "Attempt").Value!, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        // Each replay is the next attempt of the same retry, so its delay doubles, rather than the first attempt again.
        Assert.True(attempts.Max() >= 5, $"replay attempts logged: {string.Join(", ", attempts)}");
    }

    [Fact]
    public async Task AnErrorTheDeliveryDoesNotExpectStopsTheLoopLoudly()
    {
        // Arrange
        await ProduceAsync("a");
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        using var consumer = NewGroupConsumer();
        var loop = new KafkaConsumeLoop(consumer, new KafkaConsumerMonitor(Group, Timeout, statisticsEnabled: false), new Throwing(),
            new KafkaConsumeLoopOptions(Topic, Group, OffsetCommit.StoreAndCommit) { MaxBatchSize = 10, IdleWait = TimeSpan.FromMilliseconds(200) }, logger);

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.RunAsync(CancellationToken.None).WaitAsync(Timeout));

        // Assert: the service's host sees the loop end; nothing of the batch counts as done.
        Assert.Equal(Throwing.Error, error.Message);
        Assert.Contains(logger.Collector.GetSnapshot(), record => record.Id.Id == 1007 && record.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.True(CommittedOffset() < 0, $"committed {CommittedOffset()}");
    }

    private async Task RunLoopAsync(IBatchDelivery delivery, OffsetCommit offsetCommit, Func<bool> done, Func<string> describe,
        TimeSpan? idleWait = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        using var consumer = NewGroupConsumer();
        var loop = new KafkaConsumeLoop(consumer, new KafkaConsumerMonitor(Group, Timeout, statisticsEnabled: false), delivery,
            new KafkaConsumeLoopOptions(Topic, Group, offsetCommit) { MaxBatchSize = 10, MaxBatchWait = TimeSpan.FromMilliseconds(200), IdleWait = idleWait ?? TimeSpan.FromMilliseconds(200), FirstRetryDelay = TimeSpan.FromMilliseconds(10) },
            logger ?? NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        try
        {
            await Eventually.WaitUntilAsync(() => done() || running.IsCompleted, Timeout, describe);
            Assert.False(running.IsCompleted, "the loop ended on its own");
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(Timeout);
        }
    }

    private IConsumer<string, byte[]> NewGroupConsumer() => new ConsumerBuilder<string, byte[]>(new ConsumerConfig
    {
        BootstrapServers = _kafka.BootstrapServers,
        GroupId = Group,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoOffsetStore = false,
    }).Build();

    private async Task ProduceAsync(params string[] keys)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        foreach (var key in keys)
        {
            await producer.ProduceAsync(Topic, new Message<string, byte[]> { Key = key, Value = JsonSerializer.SerializeToUtf8Bytes(key, StringTypeInfo()) });
        }
    }

    private void Commit(long offset)
    {
        using var consumer = NewAdminConsumer();
        consumer.Commit([new TopicPartitionOffset(Topic, 0, offset)]);
    }

    private long CommittedOffset()
    {
        using var consumer = NewAdminConsumer();
        return consumer.Committed([new TopicPartition(Topic, 0)], TestTimeouts.Call).Single().Offset.Value;
    }

    private IConsumer<string, byte[]> NewAdminConsumer() =>
        new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = _kafka.BootstrapServers, GroupId = Group, EnableAutoCommit = false }).Build();

    private static JsonTypeInfo<string> StringTypeInfo() => (JsonTypeInfo<string>)JsonSerializerOptions.Default.GetTypeInfo(typeof(string));

    private static string? Header(ConsumeResult<string, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    private sealed class Handler(Func<string, Task> handle) : IMessageHandler<string>
    {
        public ConcurrentQueue<string> Handled { get; } = new();

        public async Task HandleAsync(string message, CancellationToken cancellationToken)
        {
            await handle(message);
            Handled.Enqueue(message);
        }
    }

    /// <summary>Fails every batch, counting them.</summary>
    private sealed class FailingAlways : IBatchDelivery
    {
        private int _attempts;

        public bool ReachedDownstream => false;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            return Task.FromResult(BatchOutcome.Failed);
        }

        public Task<bool> SetAsideAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Nothing got through, so nothing is set aside.");
    }

    /// <summary>Throws what no delivery is meant to.</summary>
    private sealed class Throwing : IBatchDelivery
    {
        public const string Error = "a fault in the delivery";

        public bool ReachedDownstream => false;

        public Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Error);

        public Task<bool> SetAsideAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Error);
    }

    /// <summary>Fails its first batch, then delivers; remembers the offsets of every batch it was given.</summary>
    private sealed class FailingOnce : IBatchDelivery
    {
        public bool ReachedDownstream => true;

        public List<List<long>> Batches { get; } = [];

        public Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
        {
            lock (Batches)
            {
                Batches.Add([.. batch.Select(record => record.Offset.Value)]);
                return Task.FromResult(Batches.Count == 1 ? BatchOutcome.Failed : BatchOutcome.Delivered);
            }
        }

        public Task<bool> SetAsideAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A batch that fails once is replayed whole.");
    }
}
