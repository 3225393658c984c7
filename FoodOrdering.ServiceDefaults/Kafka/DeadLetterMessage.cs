using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// A consumed record as a dead letter: its original key, value and headers plus the <see cref="DeadLetterHeaders"/>,
/// the same shape <see cref="KafkaConsumerWorker{TMessage}"/> writes, for consumers that run their own loop.
/// </summary>
public static class DeadLetterMessage
{
    public static Message<string, byte[]> From(ConsumeResult<string, byte[]> record, string error, string errorType, string consumerGroup)
    {
        var headers = new Headers();
        foreach (var header in record.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(DeadLetterHeaders.Error, Encoding.UTF8.GetBytes(error));
        headers.Add(DeadLetterHeaders.ErrorType, Encoding.UTF8.GetBytes(errorType));
        headers.Add(DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(record.Topic));
        headers.Add(DeadLetterHeaders.SourcePartition, Encoding.UTF8.GetBytes(record.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(DeadLetterHeaders.SourceOffset, Encoding.UTF8.GetBytes(record.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(DeadLetterHeaders.ConsumerGroup, Encoding.UTF8.GetBytes(consumerGroup));
        return new Message<string, byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers };
    }
}
