using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using FoodOrdering.Benchmarks.Infrastructure;
using FoodOrdering.Benchmarks.Measurement;

namespace FoodOrdering.Benchmarks.Load;

/// <summary>
/// Puts the benchmark's messages on a topic, keyed by order id, with an idempotent <c>acks=all</c> producer like the
/// Producer service's: as fast as possible (a preload), or at a steady rate (a live stream).
/// </summary>
internal sealed class KafkaLoad : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private long _failed;

    private KafkaLoad(string bootstrapServers, double lingerMs)
    {
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = lingerMs,
            // Well under the consumers' max.partition.fetch.bytes (1 MiB): the mock broker answers a fetch with whole produce
            // batches only, and a consumer handed a batch larger than it asked for was seen to skip records.
            BatchSize = 256 * 1024,
            QueueBufferingMaxMessages = 1_000_000,
            QueueBufferingMaxKbytes = 1024 * 1024,
        }).Build();
    }

    /// <summary>For a preload: large batches, so the broker holds few of them (the mock returns one per partition per fetch).</summary>
    public static KafkaLoad ForPreload(string bootstrapServers) => new(bootstrapServers, lingerMs: 50);

    /// <summary>For a steady stream: batched like the Producer service (its default <c>linger.ms</c> is 5).</summary>
    public static KafkaLoad ForStream(string bootstrapServers) => new(bootstrapServers, lingerMs: 5);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>
    /// Puts <paramref name="count"/> messages on <paramref name="topic"/> as fast as the broker takes them, each
    /// expected in <paramref name="tally"/>, and tidies the heap so the measured phase does not pay for the load.
    /// </summary>
    public static void Preload<T>(
        BenchmarkKafka kafka, string topic, int count, Func<T> next, Func<T, Guid> orderId, JsonTypeInfo<T> typeInfo, DeliveryTally tally, TextWriter log)
    {
        var started = Stopwatch.GetTimestamp();
        using (var load = ForPreload(kafka.BootstrapServers))
        {
            for (var i = 0; i < count; i++)
            {
                var message = next();
                tally.Expect(orderId(message));
                load.Send(topic, orderId(message), message, typeInfo);
            }

            load.Flush();
        }

        log.WriteLine($"  preloaded {count:N0} messages into {topic} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (kafka.IsEmbedded)
        {
            log.WriteLine($"  the embedded broker has {kafka.Partitions} partitions per topic, so the preload fits its 5 MiB per partition");
        }
    }

    public void Send<T>(string topic, Guid orderId, T message, JsonTypeInfo<T> typeInfo)
    {
        var record = new Message<string, byte[]> { Key = orderId.ToString(), Value = JsonSerializer.SerializeToUtf8Bytes(message, typeInfo) };
        while (true)
        {
            try
            {
                _producer.Produce(topic, record, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref _failed);
                    }
                });
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    /// <summary>
    /// Sends each message at its slot of a steady schedule (<paramref name="perSecond"/>), or each right after the
    /// last when it is null (as fast as this producer goes), stamped as it goes.
    /// </summary>
    public void SendAtRate<T>(string topic, IReadOnlyList<T> messages, int? perSecond, Func<T, DateTimeOffset, (Guid OrderId, T Message)> stamp, JsonTypeInfo<T> typeInfo)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < messages.Count; i++)
        {
            if (perSecond is { } rate)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                while (Stopwatch.GetElapsedTime(started) < due)
                {
                    Thread.Sleep(1);
                }
            }

            var (orderId, message) = stamp(messages[i], DateTimeOffset.UtcNow);
            Send(topic, orderId, message, typeInfo);
        }
    }

    public void Flush()
    {
        while (_producer.Flush(TimeSpan.FromSeconds(30)) > 0)
        {
        }

        if (Failed > 0)
        {
            throw new InvalidOperationException($"{Failed} benchmark messages were not acknowledged by Kafka.");
        }
    }

    public void Dispose() => _producer.Dispose();
}
