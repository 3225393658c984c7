using System.Text;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// What the poison-record tests of each consumer share. Records any Kafka client may write — as large as the broker takes, keys and headers of any size and number, bytes
/// that are not UTF-8 — on each consumer's topic, each followed by a valid message on the same partition: the
/// hostile record is dead-lettered (cut to fit, and saying so) and the valid one gets through. One class per
/// consumer, so the three run side by side.
/// </summary>
public abstract class PoisonRecordTests
{
    protected static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    // Within the broker's default limit on a record batch (1 MiB and a little), above the producers' 1,000,000 bytes.
    private const int BrokerLimit = 1024 * 1024;

    public static TheoryData<string> Shapes => [.. HostileRecords.Keys];

    protected static readonly Dictionary<string, Func<Message<byte[], byte[]>>> HostileRecords = new()
    {
        // The shape of the record that stopped pricing: a 100 KB key and a 920 KB value.
        ["oversized key"] = () => new() { Key = Filled(100_000, (byte)'k'), Value = Filled(920 * 1024, (byte)'v') },
        ["oversized headers"] = () => new()
        {
            Key = "poison"u8.ToArray(),
            Value = "{}"u8.ToArray(),
            Headers = Headers(Enumerable.Range(0, 23).Select(i => ($"big-{i}", Filled(45_000, (byte)'h')))),
        },
        ["many headers"] = () => new()
        {
            Key = "poison"u8.ToArray(),
            Value = Filled(620 * 1024, (byte)'v'),
            Headers = Headers(Enumerable.Range(0, 100_000).Select(i => ("h", new[] { (byte)i }))),
        },
        ["value at the limit"] = () => new() { Key = "poison"u8.ToArray(), Value = Filled(BrokerLimit - 1024, (byte)'{') },
        ["invalid UTF-8 everywhere"] = () => new()
        {
            Key = [0xC3, 0x28, 0xFF, 0xFE],
            Value = [0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D],
            Headers = Headers([("x-bytes", [0xFF, 0xFE, 0x00]), ("x-half", [0xC3, 0x28])]),
        },
    };

    /// <summary>Writes the hostile record, then the valid message, both to partition 0 so the one must pass the other.</summary>
    protected static async Task<(long Offset, Message<byte[], byte[]> Record)> ProduceAsync(string bootstrapServers, string topic, Message<byte[], byte[]> hostile, string key, byte[] valid)
    {
        // A plain client allowed up to the broker's limit, as any client may be.
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, MessageMaxBytes = 2 * BrokerLimit }).Build();
        var partition = new TopicPartition(topic, new Partition(0));
        var written = await producer.ProduceAsync(partition, hostile);
        await producer.ProduceAsync(partition, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = valid });
        return (written.Offset.Value, hostile);
    }

    protected static async Task AssertDeadLetteredAsync(string bootstrapServers, string topic, (long Offset, Message<byte[], byte[]> Record) poison)
    {
        // Emails works on different keys at once, so the next email may go out before the dead letter is written.
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(bootstrapServers, Topics.DeadLetter(topic)).Count > 0, Timeout, () => "nothing was dead-lettered");
        var deadLetter = Assert.Single(TopicReader.ReadAll(bootstrapServers, Topics.DeadLetter(topic))).Message;
        Assert.Equal(topic, Header(deadLetter, DeadLetterHeaders.SourceTopic));
        Assert.Equal(poison.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(deadLetter, DeadLetterHeaders.SourceOffset));
        Assert.False(string.IsNullOrEmpty(Header(deadLetter, DeadLetterHeaders.Reason)));

        // Whatever was cut says how long it was; whatever was not cut is the original.
        var original = poison.Record;
        if (Header(deadLetter, DeadLetterHeaders.TruncatedFrom) is { } valueLength)
        {
            Assert.Equal(original.Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), valueLength);
            Assert.True(deadLetter.Value.Length < original.Value.Length);
            Assert.Equal(original.Value.AsSpan(0, deadLetter.Value.Length).ToArray(), deadLetter.Value);
        }
        else
        {
            Assert.Equal(original.Value, deadLetter.Value);
        }

        if (Header(deadLetter, DeadLetterHeaders.KeyTruncatedFrom) is { } keyLength)
        {
            Assert.Equal(original.Key.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), keyLength);
            Assert.True(Encoding.UTF8.GetByteCount(deadLetter.Key) < original.Key.Length);
        }

        // Headers are kept in order until they would not fit; the rest are counted as dropped.
        var originalHeaders = original.Headers?.Select(header => (header.Key, Value: header.GetValueBytes())).ToList() ?? [];
        var dropped = Header(deadLetter, DeadLetterHeaders.HeadersDropped) is { } count ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var kept = deadLetter.Headers
            .Where(header => !header.Key.StartsWith("dead-letter.", StringComparison.Ordinal) && header.Key is not ("traceparent" or "tracestate" or "baggage"))
            .Select(header => (header.Key, Value: header.GetValueBytes()))
            .ToList();
        Assert.Equal(originalHeaders.Count - dropped, kept.Count);
        Assert.All(kept.Zip(originalHeaders), pair =>
        {
            Assert.Equal(pair.Second.Key, pair.First.Key);
            Assert.Equal(pair.Second.Value, pair.First.Value);
        });
    }

    protected static OrderConfirmed Confirmed(OrderPlaced order) => new(
        order.OrderId, order.PlacedAt, DateTimeOffset.UtcNow, order.Customer,
        [new PricedLine("margherita", "Margherita Pizza", 2, 11.50m, 23.00m), new PricedLine("cola", "Cola", 1, 2.40m, 2.40m)],
        25.40m, 2.99m, 2.24m, 30.63m, Menu.Currency, order.DeliveryAddress);

    protected static byte[] ContractsJson<T>(T message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, typeInfo);

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private static Headers Headers(IEnumerable<(string Key, byte[] Value)> headers)
    {
        var all = new Headers();
        foreach (var (key, value) in headers)
        {
            all.Add(key, value);
        }

        return all;
    }

    private static string? Header(Message<string, byte[]> message, string name) =>
        message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;
}
