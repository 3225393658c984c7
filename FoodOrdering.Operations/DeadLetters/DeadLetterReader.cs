using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Operations.Log;

namespace FoodOrdering.Operations.DeadLetters;

/// <summary>Reads what a failure record says about itself: the dead-letter headers, or an <see cref="EmailFailed"/> value.</summary>
internal static class DeadLetterReader
{
    private const int MaxErrorChars = 500;

    public static DeadLetter From(ConsumeResult<string?, byte[]?> record)
    {
        var at = new RecordCoordinates(record.Topic, record.Partition.Value, record.Offset.Value);
        var headers = record.Message.Headers;
        var redriveCount = Number(headers, RedriveHeaders.Count) ?? 0;
        if (!DeadLetterTopics.IsDeadLetterTopic(record.Topic))
        {
            return FromEmailFailed(at, record, (int)redriveCount);
        }

        return new DeadLetter(
            at,
            record.Message.Timestamp.UtcDateTime,
            record.Message.Key,
            Text(headers, DeadLetterHeaders.Reason) ?? "unknown",
            Text(headers, DeadLetterHeaders.SourceTopic) ?? record.Topic[..^Topics.DeadLetter("").Length],
            (int?)Number(headers, DeadLetterHeaders.SourcePartition),
            Number(headers, DeadLetterHeaders.SourceOffset),
            Text(headers, DeadLetterHeaders.ConsumerGroup),
            Text(headers, DeadLetterHeaders.ErrorType),
            Cut(Pii.MaskEmailsIn(Text(headers, DeadLetterHeaders.Error))),
            (int)redriveCount);
    }

    // An email that could not be sent came from its order's confirmation; a re-drive publishes that again.
    private static DeadLetter FromEmailFailed(RecordCoordinates at, ConsumeResult<string?, byte[]?> record, int redriveCount)
    {
        EmailFailed? failed = null;
        try
        {
            failed = record.Message.Value is { } value ? JsonSerializer.Deserialize(value, ContractsJsonContext.Default.EmailFailed) : null;
        }
        catch (JsonException)
        {
        }

        return new DeadLetter(
            at,
            record.Message.Timestamp.UtcDateTime,
            record.Message.Key,
            failed?.Reason ?? "unreadable",
            Topics.OrdersConfirmed,
            null,
            null,
            ConsumerGroups.Emails,
            failed?.SmtpStatusCode?.ToString(CultureInfo.InvariantCulture),
            Cut(Pii.MaskEmailsIn(failed?.Message ?? "The record is not an EmailFailed.")),
            redriveCount);
    }

    internal static string? Text(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;

    internal static long? Number(Headers? headers, string name) =>
        long.TryParse(Text(headers, name), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string Cut(string text) => text.Length > MaxErrorChars ? text[..MaxErrorChars] + "…" : text;
}
