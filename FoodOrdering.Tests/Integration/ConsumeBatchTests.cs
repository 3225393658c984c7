using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;

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

        // Each batch's first record waits for a fetch; the rest of that fetch is already here when the zero wait is
        // over. How much of it has reached the consumer's queue by then is librdkafka's timing, so the test counts
        // batches: a few, where leaving fetched records behind would make it 500.
        var batches = new List<List<ConsumeResult<string, byte[]>>>();
        while (batches.Sum(batch => batch.Count) < 500
            && consumer.ConsumeBatch(maxMessages: 1_000, maxWait: TimeSpan.Zero, IdleWait, CancellationToken.None) is { Count: > 0 } batch)
        {
            batches.Add(batch);
        }

        Assert.True(batches.Count <= 10, $"{batches.Count} batches: the records fetched with each first one were left for later batches");
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), batches.SelectMany(batch => batch).Select(record => record.Offset.Value));
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

        Assert.Equal(0, producer.Flush(TestTimeouts.Call));
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
