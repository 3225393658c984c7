using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FoodOrdering.Tests.Unit;

/// <summary>The per-message delivery of at-least-once consumers against a scripted handler and a fake producer, no broker.</summary>
public sealed class MessageHandlerDeliveryTests
{
    private const string Topic = "handler-test";
    private const string Group = "handler-test-group";

    [Fact]
    public async Task AMessageTheDownstreamCannotTakeFailsTheBatchAndItsReplayHandlesOnlyWhatWasNotHandled()
    {
        // Arrange
        var refusals = 1;
        var handler = new ScriptedHandler(message => message == "b" && refusals-- > 0 ? throw new DownstreamUnavailableException("SMTP is down") : Task.CompletedTask);
        var (producer, fake) = FakeProducer.Create();
        var delivery = Delivery(handler, producer, maxConcurrency: 1);
        var batch = Records("a", "b", "c");

        // Act
        var first = await delivery.DeliverAsync(batch, CancellationToken.None);
        var replay = await delivery.DeliverAsync(batch, CancellationToken.None);

        // Assert
        Assert.Equal(BatchOutcome.Failed, first);
        Assert.Equal(BatchOutcome.Delivered, replay);
        Assert.Equal(["a", "b", "c"], handler.Handled.Order());
        Assert.Equal(3, handler.Handled.Count);
        Assert.Empty(fake.Produced);
    }

    [Fact]
    public async Task AnUnreadableMessageIsDeadLetteredWithItsReasonAndTheRestOfTheBatchIsDelivered()
    {
        var handler = new ScriptedHandler(_ => Task.CompletedTask);
        var (producer, fake) = FakeProducer.Create();
        var delivery = Delivery(handler, producer);
        List<ConsumeResult<string, byte[]>> batch = [.. Records("a"), Record(1, "broken", "{not json"u8.ToArray()), .. Records(2, "c")];

        var outcome = await delivery.DeliverAsync(batch, CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        Assert.Equal(["a", "c"], handler.Handled.Order());
        var (topic, deadLetter) = Assert.Single(fake.Produced);
        Assert.Equal(Topics.DeadLetter(Topic), topic);
        Assert.Equal("broken", deadLetter.Key);
        Assert.Equal(DeadLetterReasons.Unreadable, Header(deadLetter, DeadLetterHeaders.Reason));
        Assert.Equal("1", Header(deadLetter, DeadLetterHeaders.SourceOffset));
    }

    [Fact]
    public async Task AMessageTheHandlerCannotProcessIsDeadLetteredAsUnprocessableAndTheBatchIsDelivered()
    {
        var handler = new ScriptedHandler(message => message == "b" ? throw new InvalidOperationException("no such menu item") : Task.CompletedTask);
        var (producer, fake) = FakeProducer.Create();
        var delivery = Delivery(handler, producer);

        var outcome = await delivery.DeliverAsync(Records("a", "b", "c"), CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        var (_, deadLetter) = Assert.Single(fake.Produced);
        Assert.Equal(DeadLetterReasons.Unprocessable, Header(deadLetter, DeadLetterHeaders.Reason));
        Assert.Equal(["a", "c"], handler.Handled.Order());
    }

    [Fact]
    public async Task MessagesAlreadyBeingHandledWhenAnotherFailsAreLetFinishUncancelledAndNotHandledAgainOnTheReplay()
    {
        // Arrange
        var slowStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = 1;
        var handler = new ScriptedHandler(async message =>
        {
            if (message == "slow")
            {
                slowStarted.TrySetResult();
                await release.Task;
            }
            else if (failures-- > 0)
            {
                await slowStarted.Task;
                throw new DownstreamUnavailableException("SMTP is down");
            }
        });
        var (producer, _) = FakeProducer.Create();
        var delivery = Delivery(handler, producer, maxConcurrency: 2);
        var batch = Records("slow", "failing");

        // Act
        var delivering = delivery.DeliverAsync(batch, CancellationToken.None);
        await slowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await handler.Failures.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var endedBeforeTheSlowOne = delivering.IsCompleted;
        release.SetResult();
        var first = await delivering.WaitAsync(TimeSpan.FromSeconds(30));
        var replay = await delivery.DeliverAsync(batch, CancellationToken.None);

        // Assert
        Assert.False(endedBeforeTheSlowOne);
        Assert.Equal(BatchOutcome.Failed, first);
        Assert.Equal(BatchOutcome.Delivered, replay);
        Assert.Equal(["failing", "slow"], handler.Handled.Order());
    }

    [Fact]
    public async Task MessagesOfOneKeyAreHandledInTheirOrder()
    {
        var handler = new ScriptedHandler(async _ => await Task.Yield());
        var (producer, _) = FakeProducer.Create();
        var delivery = Delivery(handler, producer, maxConcurrency: 8);
        var batch = Enumerable.Range(0, 40).Select(offset => Record(offset, $"key-{offset % 4}", Json($"{offset % 4}:{offset}"))).ToList();

        await delivery.DeliverAsync(batch, CancellationToken.None);

        foreach (var key in handler.Handled.GroupBy(message => message.Split(':')[0]))
        {
            Assert.Equal(key.Select(message => int.Parse(message.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)).Order(),
                key.Select(message => int.Parse(message.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static MessageHandlerDelivery<string> Delivery(ScriptedHandler handler, IProducer<string, byte[]> producer, int maxConcurrency = 4) =>
        new(Group, StringTypeInfo, maxConcurrency, handler, NoRetriesInPlace(), producer, new DeadLetters(Group, NullLogger<DeadLetters>.Instance), NullLogger.Instance);

    // The handler's failures go straight to their action, as they did with no retry pipeline: these tests are about
    // what the delivery does with a failure, not how often one is tried.
    private static FailurePolicy<Exception> NoRetriesInPlace() =>
        MessageFailurePolicy.Complete(new FailurePolicy<Exception>().Otherwise().DeadLetter(DeadLetterReasons.Unprocessable));

    private static readonly JsonTypeInfo<string> StringTypeInfo = (JsonTypeInfo<string>)JsonSerializerOptions.Default.GetTypeInfo(typeof(string));

    private static byte[] Json(string message) => JsonSerializer.SerializeToUtf8Bytes(message, StringTypeInfo);

    private static List<ConsumeResult<string, byte[]>> Records(params string[] messages) => Records(0, messages);

    private static List<ConsumeResult<string, byte[]>> Records(int firstOffset, params string[] messages) =>
        [.. messages.Select((message, i) => Record(firstOffset + i, message, Json(message)))];

    private static ConsumeResult<string, byte[]> Record(long offset, string key, byte[] value) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Topic, 0, offset),
        Message = new Message<string, byte[]> { Key = key, Value = value, Headers = [] },
    };

    private static string? Header(Message<string, byte[]> message, string name) =>
        message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Handles each message as the script says and remembers the messages it returned from.</summary>
    private sealed class ScriptedHandler(Func<string, Task> handle) : IMessageHandler<string>
    {
        public ConcurrentQueue<string> Handled { get; } = new();

        /// <summary>Completed once a message failed with the downstream unavailable.</summary>
        public TaskCompletionSource Failures { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task HandleAsync(string message, CancellationToken cancellationToken)
        {
            try
            {
                await handle(message);
            }
            catch (DownstreamUnavailableException)
            {
                Failures.TrySetResult();
                throw;
            }

            Handled.Enqueue(message);
        }
    }
}
