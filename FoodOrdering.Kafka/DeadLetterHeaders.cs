using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>Headers added to a dead-lettered message, beside its original key, value and headers.</summary>
public static class DeadLetterHeaders
{
    public const string Error = "dead-letter.error";
    public const string ErrorType = "dead-letter.error-type";
    public const string SourceTopic = "dead-letter.source-topic";
    public const string SourcePartition = "dead-letter.source-partition";
    public const string SourceOffset = "dead-letter.source-offset";
    public const string ConsumerGroup = "dead-letter.consumer-group";

    /// <summary>One of <see cref="DeadLetterReasons"/>.</summary>
    public const string Reason = "dead-letter.reason";

    /// <summary>Set when the original value was cut to fit the dead-letter topic; holds its full length in bytes.</summary>
    public const string TruncatedFrom = "dead-letter.truncated-from";

    /// <summary>Set when the original key was cut to fit; holds its full length in UTF-8 bytes.</summary>
    public const string KeyTruncatedFrom = "dead-letter.key-truncated-from";

    /// <summary>Set when some of the original headers did not fit; holds how many of the last ones were left out.</summary>
    public const string HeadersDropped = "dead-letter.headers-dropped";

    // The whole record, as librdkafka sizes it, stays under the producers' default message.max.bytes (1,000,000) and
    // the broker's default limit, with room left for the publish span's trace headers: whatever was consumed, its dead
    // letter can always be written.
    internal const int MaxMessageBytes = 900 * 1024;

    // A key is an order id (36 characters); anything far longer is not ours, and a dead letter keeps its beginning.
    internal const int MaxKeyBytes = 4 * 1024;

    // The error text comes from exceptions, whose messages may quote the input at any length.
    private const int MaxErrorChars = 2_000;

    // When even the fitted dead letter was refused (a topic with a lower limit, say), one that keeps only the
    // coordinates and a short key is the last try before the record is parked.
    private const int BareKeyBytes = 256;

    /// <summary>
    /// The record as it arrived plus where it came from and why it could not be processed, cut to fit: the value
    /// first, then the original headers in order while they fit. A <paramref name="bare"/> dead letter keeps only the
    /// coordinates, the reason and the beginning of the key. Every cut is recorded in a header.
    /// </summary>
    internal static Message<string, byte[]> ToDeadLetter(this ConsumeResult<string, byte[]> record, DeadLetterCause cause, string consumerGroup, bool bare = false)
    {
        var added = new List<(string Key, byte[] Value)>
        {
            (Reason, Encoding.UTF8.GetBytes(cause.Reason)),
            (Error, Encoding.UTF8.GetBytes(cause.Error.Length > MaxErrorChars ? cause.Error[..MaxErrorChars] + "…" : cause.Error)),
            (ErrorType, Encoding.UTF8.GetBytes(cause.ErrorType)),
            (SourceTopic, Encoding.UTF8.GetBytes(record.Topic)),
            (SourcePartition, Invariant(record.Partition.Value)),
            (SourceOffset, Invariant(record.Offset.Value)),
            (ConsumerGroup, Encoding.UTF8.GetBytes(consumerGroup)),
        };

        var key = record.Message.Key;
        var keyBytes = key is null ? 0 : Encoding.UTF8.GetByteCount(key);
        var keyLimit = bare ? BareKeyBytes : MaxKeyBytes;
        if (keyBytes > keyLimit)
        {
            added.Add((KeyTruncatedFrom, Invariant(keyBytes)));
            key = Utf8Prefix(key!, keyLimit);
            keyBytes = Encoding.UTF8.GetByteCount(key);
        }

        var originalHeaders = record.Message.Headers ?? [];
        var value = record.Message.Value ?? [];
        // The markers a cut may add are counted in advance, so adding them cannot push the record over.
        var room = MaxMessageBytes - keyBytes - added.Sum(header => HeaderSize(header.Key, header.Value.Length))
            - HeaderSize(TruncatedFrom, 20) - HeaderSize(HeadersDropped, 20) - 2 * VarintSize(originalHeaders.Count + added.Count + 2);

        var valueLength = bare ? 0 : Math.Min(value.Length, room);
        room -= valueLength;
        if (valueLength < value.Length)
        {
            added.Add((TruncatedFrom, Invariant(value.Length)));
        }

        var headers = new Headers();
        var kept = 0;
        if (!bare)
        {
            foreach (var header in originalHeaders)
            {
                var bytes = header.GetValueBytes();
                var size = HeaderSize(header.Key, bytes?.Length ?? 0);
                if (size > room)
                {
                    break;
                }

                headers.Add(header.Key, bytes);
                room -= size;
                kept++;
            }
        }

        if (kept < originalHeaders.Count)
        {
            added.Add((HeadersDropped, Invariant(originalHeaders.Count - kept)));
        }

        foreach (var (name, bytes) in added)
        {
            headers.Add(name, bytes);
        }

        return new Message<string, byte[]>
        {
            Key = key!,
            Value = valueLength == value.Length ? value : value[..valueLength],
            Headers = headers,
        };
    }

    /// <summary>What a header takes in a record, as librdkafka counts it against <c>message.max.bytes</c>.</summary>
    private static int HeaderSize(string key, int valueLength)
    {
        var keyLength = Encoding.UTF8.GetByteCount(key);
        return VarintSize(keyLength) + keyLength + VarintSize(valueLength) + valueLength;
    }

    private static int VarintSize(int value)
    {
        var zigZag = (uint)((value << 1) ^ (value >> 31));
        var size = 1;
        while ((zigZag >>= 7) != 0)
        {
            size++;
        }

        return size;
    }

    /// <summary>The longest beginning of <paramref name="text"/> within <paramref name="maxBytes"/> UTF-8 bytes, never splitting a character.</summary>
    private static string Utf8Prefix(string text, int maxBytes)
    {
        var bytes = 0;
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return text[..length];
    }

    private static byte[] Invariant(long number) => Encoding.UTF8.GetBytes(number.ToString(CultureInfo.InvariantCulture));
}
