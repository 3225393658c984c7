using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// A deployment may start the services before the topic step has made their topics, and an operator may add
/// partitions later: the consumers, as the services configure them, must take up both by themselves.
/// </summary>
public sealed class LateTopicTests
{
    private const string Topic = "late-topic";
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task AServiceConsumerSubscribedBeforeItsTopicExistsReadsItOnceItIsCreated()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, []);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{ConnectionNames.Kafka}"] = kafka.BootstrapServers });
        var settings = KafkaClientExtensions.BuildConsumerSettings(builder, ConnectionNames.Kafka, "late-group", null);
        using var consumer = new ConsumerBuilder<string, string>(settings.Config).Build();
        consumer.Subscribe(Topic);
        using var stop = new CancellationTokenSource(Timeout);
        var first = Task.Run(() => FirstRecord(consumer, stop.Token), CancellationToken.None);

        kafka.CreateTopic(Topic, 1);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        await producer.ProduceAsync(Topic, new Message<string, string> { Key = "k", Value = "first" });

        var record = await first;
        Assert.Equal("first", record.Message.Value);
    }

    // What the consume loop does too: a topic that is not there yet is a passing error, not the end.
    private static ConsumeResult<string, string> FirstRecord(IConsumer<string, string> consumer, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return consumer.Consume(cancellationToken);
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
            }
        }
    }
}
