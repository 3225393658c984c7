using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Emails;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// A message handler's failures get what its consumer's one policy says, and only that: retries in place exactly as
/// many as the rule says, then the record set aside, dead-lettered, or its batch failed for the loop to replay.
/// Deliveries driven directly, dead letters read from the embedded broker.
/// </summary>
public sealed class MessageFailurePolicyTests : IDisposable
{
    private const string Topic = "policy-test";
    private const string Group = "policy-test-group";

    private readonly EmbeddedKafkaCluster _kafka = EmbeddedKafkaCluster.Start(1, partitions: 1, [Topic, Topics.DeadLetter(Topic)]);
    private readonly IProducer<string, byte[]> _producer;

    public MessageFailurePolicyTests() =>
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();

    public void Dispose()
    {
        _producer.Dispose();
        _kafka.Dispose();
    }

    [Fact]
    public async Task AKafkaErrorFromAHandlerFailsTheBatchForTheLoopToReplayAndDeadLettersNothing()
    {
        // Arrange: the handler's own output is not taken (a timeout), which says nothing against the message.
        var handler = new Handler(_ => throw new KafkaException(ErrorCode.Local_MsgTimedOut));
        var delivery = Delivery(handler, Shared());

        // Act
        var outcome = await delivery.DeliverAsync([Record(0, "order-1")], CancellationToken.None);

        // Assert
        Assert.Equal(BatchOutcome.Failed, outcome);
        Assert.Equal(1, handler.Attempts);
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
    }

    [Fact]
    public async Task AnOutputKafkaRefusesAsARecordIsDeadLetteredAtOnceWithoutRetries()
    {
        var handler = new Handler(_ => throw new KafkaException(ErrorCode.MsgSizeTooLarge));
        var delivery = Delivery(handler, Shared());

        var outcome = await delivery.DeliverAsync([Record(0, "order-1")], CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        Assert.Equal(1, handler.Attempts);
        var deadLetter = Assert.Single(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
        Assert.Equal(DeadLetterReasons.Unprocessable, Header(deadLetter, DeadLetterHeaders.Reason));
    }

    [Fact]
    public async Task AnErrorNoRuleKnowsIsTriedFiveTimesInAllThenDeadLetteredAsUnprocessable()
    {
        var handler = new Handler(_ => throw new InvalidOperationException("a bug"));
        var delivery = Delivery(handler, Shared());

        var outcome = await delivery.DeliverAsync([Record(0, "order-1")], CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        Assert.Equal(5, handler.Attempts);
        var deadLetter = Assert.Single(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
        Assert.Equal((DeadLetterReasons.Unprocessable, "a bug"), (Header(deadLetter, DeadLetterHeaders.Reason), Header(deadLetter, DeadLetterHeaders.Error)));
    }

    [Fact]
    public async Task AnSmtpServerFailureIsSentThreeTimesInAllThenItsBatchFailsForTheLoopToReplay()
    {
        // Arrange: the server takes no email, every time.
        var handler = new Handler(_ => throw new SmtpSendException(SmtpFailureScope.Server, final: false, 421, "421 4.3.2 closing"));
        var delivery = Delivery(handler, EmailsPolicy());

        // Act
        var outcome = await delivery.DeliverAsync([Record(0, "order-1")], CancellationToken.None);

        // Assert: two quick retries, not one more anywhere; nothing set aside or dead-lettered.
        Assert.Equal(BatchOutcome.Failed, outcome);
        Assert.Equal(3, handler.Attempts);
        Assert.Empty(handler.SetAside);
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
    }

    [Fact]
    public async Task AnEmailRefusedForGoodIsRecordedByTheHandlerAtOnceAndTheBatchGoesOn()
    {
        var refusal = new SmtpSendException(SmtpFailureScope.Recipient, final: true, 550, "550 5.1.1 user unknown");
        var handler = new Handler(message => message == "refused" ? throw refusal : Task.CompletedTask);
        var delivery = Delivery(handler, EmailsPolicy());

        var outcome = await delivery.DeliverAsync([Record(0, "refused"), Record(1, "fine")], CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        Assert.Equal(2, handler.Attempts);
        Assert.Equal([("refused", (Exception)refusal)], handler.SetAside);
        Assert.True(delivery.ReachedDownstream);
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
    }

    [Fact]
    public async Task AnEmailRefusalNotKnownToBeForGoodIsNotRetriedInPlaceAndIsSetAsideOnlyWhenItFailsAlone()
    {
        // Arrange
        var refusal = new SmtpSendException(SmtpFailureScope.Recipient, final: false, 502, "502 5.5.2 what is this");
        var handler = new Handler(_ => throw refusal);
        var delivery = Delivery(handler, EmailsPolicy());
        var record = Record(0, "odd");

        // Act
        var outcome = await delivery.DeliverAsync([record], CancellationToken.None);
        var setAside = await delivery.SetAsideAsync(record, CancellationToken.None);

        // Assert
        Assert.Equal(BatchOutcome.Failed, outcome);
        Assert.Equal(1, handler.Attempts);
        Assert.True(setAside);
        Assert.Equal([("odd", (Exception)refusal)], handler.SetAside);
    }

    [Fact]
    public async Task AFailureThePolicyWaitsOutIsNeverSetAside()
    {
        var policy = new FailurePolicy<Exception>().On<TimeoutException>().WaitOut();
        var handler = new Handler(_ => throw new TimeoutException("the downstream's own refusal"));
        var delivery = Delivery(handler, MessageFailurePolicy.Complete(policy));
        var record = Record(0, "order-1");

        var outcome = await delivery.DeliverAsync([record], CancellationToken.None);
        var setAside = await delivery.SetAsideAsync(record, CancellationToken.None);

        Assert.Equal(BatchOutcome.Failed, outcome);
        Assert.False(setAside);
        Assert.Empty(handler.SetAside);
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topic)));
    }

    private static FailurePolicy<Exception> Shared() => MessageFailurePolicy.Complete(new FailurePolicy<Exception>());

    private static FailurePolicy<Exception> EmailsPolicy() =>
        MessageFailurePolicy.Complete(EmailFailurePolicy.Configure(new FailurePolicy<Exception>(), new EmailOptions()));

    private MessageHandlerDelivery<string> Delivery(Handler handler, FailurePolicy<Exception> policy) =>
        new(Group, StringTypeInfo(), 2, handler, policy, _producer, new DeadLetters(Group, NullLogger<DeadLetters>.Instance), NullLogger.Instance);

    private static ConsumeResult<string, byte[]> Record(long offset, string message) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Topic, 0, offset),
        Message = new Message<string, byte[]> { Key = message, Value = JsonSerializer.SerializeToUtf8Bytes(message, StringTypeInfo()), Headers = [] },
    };

    private static JsonTypeInfo<string> StringTypeInfo() => (JsonTypeInfo<string>)JsonSerializerOptions.Default.GetTypeInfo(typeof(string));

    private static string? Header(ConsumeResult<string, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    private sealed class Handler(Func<string, Task> handle) : IMessageHandler<string>
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public ConcurrentQueue<(string Message, Exception Error)> SetAside { get; } = new();

        public async Task HandleAsync(string message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            await handle(message);
        }

        public Task<bool> FailedAloneAsync(string message, Exception lastError, CancellationToken cancellationToken)
        {
            SetAside.Enqueue((message, lastError));
            return Task.FromResult(true);
        }
    }
}
