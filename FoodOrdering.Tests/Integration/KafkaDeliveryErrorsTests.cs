using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>What librdkafka's delivery errors say about where a message is, on the embedded broker.</summary>
public sealed class KafkaDeliveryErrorsTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Call;

    [Fact]
    public async Task AMessageThatTimesOutInFlightIsReportedNotPersistedThoughTheBrokerWroteItSoItCountsAsMaybeWritten()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var producer = Producer(kafka, messageTimeoutMs: 1000);
        await WarmUpAsync(producer);

        // The broker writes at once but answers after 3 s: the client gives up on the message after 1 s.
        kafka.SetBrokerRoundTripTime(1, TimeSpan.FromSeconds(3));
        var timedOut = await Assert.ThrowsAsync<ProduceException<string, byte[]>>(() =>
            producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = "in-flight", Value = [1] }));
        kafka.SetBrokerRoundTripTime(1, TimeSpan.Zero);

        Assert.Equal(ErrorCode.Local_MsgTimedOut, timedOut.Error.Code);
        Assert.Equal(PersistenceStatus.NotPersisted, timedOut.DeliveryResult.Status);
        await Eventually.WaitUntilAsync(
            () => TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived).Any(record => record.Message.Key == "in-flight"),
            Timeout, () => "the timed-out message never reached the log");
        Assert.False(KafkaDeliveryErrors.CertainlyNotWritten<string, byte[]>(timedOut));
    }

    [Fact]
    public async Task ARecordTheBrokerRefusesIsCertainlyNotWritten()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var producer = Producer(kafka, messageTimeoutMs: 5000);
        await producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = "warm-up", Value = [1] });

        kafka.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.PolicyViolation);
        var refused = await Assert.ThrowsAsync<ProduceException<string, byte[]>>(() =>
            producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = "refused", Value = [1] }));

        Assert.True(KafkaDeliveryErrors.CertainlyNotWritten<string, byte[]>(refused), $"{refused.Error.Code}, {refused.DeliveryResult.Status}");
        Assert.DoesNotContain(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived), record => record.Message.Key == "refused");
    }

    /// <summary>
    /// One message through, so the connection and the producer id are in place: the first message waits for them,
    /// which on a busy machine can outlast a 1 s message timeout, so it is tried until one gets through.
    /// </summary>
    private static async Task WarmUpAsync(IProducer<string, byte[]> producer)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = "warm-up", Value = [1] });
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_MsgTimedOut && attempt < 20)
            {
            }
        }
    }

    private static IProducer<string, byte[]> Producer(EmbeddedKafkaCluster kafka, int messageTimeoutMs) =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = messageTimeoutMs,
        }).Build();
}
