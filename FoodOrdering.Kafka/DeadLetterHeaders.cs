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

    // A dead letter must always fit under the broker's default 1 MB message limit, or it would fail in its turn.
    private const int MaxMessageBytes = 900 * 1024;

    /// <summary>The record as it arrived (key, value, headers) plus where it came from and why it could not be processed.</summary>
    internal static Message<string, byte[]> ToDeadLetter(this ConsumeResult<string, byte[]> record, DeadLetterCause cause, string consumerGroup)
    {
        var headers = new Headers();
        foreach (var header in record.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        // What the copied headers take leaves the room for the value (the added ones are small).
        var room = Math.Max(0, MaxMessageBytes - headers.Sum(header => header.Key.Length + (header.GetValueBytes()?.Length ?? 0)));
        var value = record.Message.Value;
        if (value is not null && value.Length > room)
        {
            headers.Add(TruncatedFrom, Encoding.UTF8.GetBytes(value.Length.ToString(CultureInfo.InvariantCulture)));
            value = value[..room];
        }

        headers.Add(Reason, Encoding.UTF8.GetBytes(cause.Reason));
        headers.Add(Error, Encoding.UTF8.GetBytes(cause.Error));
        headers.Add(ErrorType, Encoding.UTF8.GetBytes(cause.ErrorType));
        headers.Add(SourceTopic, Encoding.UTF8.GetBytes(record.Topic));
        headers.Add(SourcePartition, Encoding.UTF8.GetBytes(record.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(SourceOffset, Encoding.UTF8.GetBytes(record.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(ConsumerGroup, Encoding.UTF8.GetBytes(consumerGroup));
        return new Message<string, byte[]> { Key = record.Message.Key, Value = value!, Headers = headers };
    }
}
