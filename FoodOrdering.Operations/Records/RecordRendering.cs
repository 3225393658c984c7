using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Confluent.Kafka;

namespace FoodOrdering.Operations.Records;

/// <summary>
/// Turns raw bytes into what the console shows: JSON pretty-printed, text as text, anything that is not UTF-8 as
/// binary (a hex preview); customer data masked unless the operator asked to reveal this one record; every part cut
/// at its stated size, so a 1 MiB value or a 100 KB header costs the page no more than the cut.
/// </summary>
internal static class RecordRendering
{
    private const int BinaryPreviewBytes = 256;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RecordView Render(ConsumeResult<byte[]?, byte[]?> record, OperationsOptions options, bool reveal) => new(
        record.Topic,
        record.Partition.Value,
        record.Offset.Value,
        record.Message.Timestamp.UtcDateTime,
        Value(record.Message.Key, 1024, reveal),
        [.. (record.Message.Headers ?? []).Select(header => new HeaderView(header.Key, Value(header.GetValueBytes(), options.MaxHeaderBytes, reveal)))],
        Value(record.Message.Value, options.MaxValueBytes, reveal),
        reveal);

    public static ValueView? Value(byte[]? bytes, int maxChars, bool reveal)
    {
        if (bytes is null)
        {
            return null;
        }

        if (!Utf8.IsValid(bytes))
        {
            var preview = Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, Math.Min(BinaryPreviewBytes, maxChars / 2)));
            return new ValueView(ValueKinds.Binary, preview, bytes.Length, preview.Length / 2 < bytes.Length, Math.Min(BinaryPreviewBytes, maxChars / 2));
        }

        var (kind, text) = Json(bytes, reveal) is { } json ? (ValueKinds.Json, json) : (ValueKinds.Text, Masked(Encoding.UTF8.GetString(bytes), reveal));
        return text.Length > maxChars
            ? new ValueView(kind, text[..maxChars], bytes.Length, true, maxChars)
            : new ValueView(kind, text, bytes.Length, false, maxChars);
    }

    private static string? Json(byte[] bytes, bool reveal)
    {
        if (bytes.Length == 0 || bytes[0] is not ((byte)'{' or (byte)'['))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(bytes);
            if (!reveal)
            {
                CustomerDataMask.Mask(node);
            }

            return node?.ToJsonString(Indented);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Masked(string text, bool reveal) => reveal ? text : Pii.MaskEmailsIn(text);
}
