using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;

namespace FoodOrdering.Tests.Integration;

/// <summary>How <see cref="KafkaBatchConsumeExtensions.ConsumeBatch{TKey, TValue}"/> closes a batch, on the embedded broker.</summary>
public sealed class ConsumeBatchTests : IDisposable
{
    private const string Topic = "batch-test";
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(30);

    private readonly EmbeddedKafkaCluster _kafka = EmbeddedKafkaCluster.Start(1, partitions: 1, [Topic]);

    public void Dispose() => _kafka.Dispose();

    [Fact]
    public void WithNoWaitLeftRecordsAlreadyFetchedStillJoinTheBatch()
    {
        Produce(count: 500);
        using var consumer = Consumer();

        // The first record waits for the fetch; the rest of that fetch is already here when the zero wait is over.
        var batch = consumer.ConsumeBatch(maxMessages: 1_000, maxWait: TimeSpan.Zero, IdleWait, CancellationToken.None);

        Assert.True(batch.Count > 1, $"a batch of {batch.Count}: the records fetched with the first were left for later batches");
        Assert.Equal(Enumerable.Range(0, batch.Count).Select(i => (long)i), batch.Select(record => record.Offset.Value));
    }

    [Fact]
    public void ABatchStopsAtItsSizeAndTheNextGoesOnFromThere()
    {
        Produce(count: 50);
        using var consumer = Consumer();

        var first = consumer.ConsumeBatch(maxMessages: 20, maxWait: TimeSpan.FromSeconds(5), IdleWait, CancellationToken.None);
        var second = consumer.ConsumeBatch(maxMessages: 20, maxWait: TimeSpan.FromSeconds(5), IdleWait, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), first.Select(record => record.Offset.Value));
        Assert.Equal(Enumerable.Range(20, 20).Select(i => (long)i), second.Select(record => record.Offset.Value));
    }

    private void Produce(int count)
    {
        // One produce batch, sent by the flush: the embedded broker answers a fetch with one batch per partition, so
        // records in a later batch would not arrive with the first however the consumer gathers them.
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers, LingerMs = 60_000 }).Build();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(Topic, new Message<string, byte[]> { Key = i.ToString(), Value = new byte[100] });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    private IConsumer<string, byte[]> Consumer()
    {
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _kafka.BootstrapServers,
            GroupId = $"batch-test-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        return consumer;
    }
}
