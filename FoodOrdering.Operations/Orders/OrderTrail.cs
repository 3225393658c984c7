using System.Text.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Operations.DeadLetters;
using FoodOrdering.Operations.Log;
using FoodOrdering.Operations.Records;

namespace FoodOrdering.Operations.Orders;

/// <param name="Step">What the record says happened: received, confirmed, rejected, emailed, email-failed, dead-lettered, or the topic's name.</param>
/// <param name="Summary">In a few words (a rejection's reason, a dead letter's reason and error), masked.</param>
internal sealed record TrailStep(string Step, string Summary, RecordView Record);

/// <param name="SearchedFrom">
/// Per partition whose older records the order index no longer holds, the offset the search started at: the order may
/// have records below it. Empty when every record read was searched.
/// </param>
internal sealed record OrderTrailView(string OrderId, IReadOnlyList<TrailStep> Steps, IReadOnlyList<RecordCoordinates> SearchedFrom);

/// <summary>Finds every record of one order, on every topic, in the order they were written.</summary>
internal sealed class OrderTrail(OrderIndex index, RecordBrowser browser, DeadLetterIndex deadLetters)
{
    public OrderTrailView Find(string orderId)
    {
        var steps = index.Find(orderId)
            .Select(at => browser.One(at, reveal: false))
            .OfType<RecordView>()
            // Transactions' claim on the id is its bookkeeping, not a step of the order.
            .Where(record => record.Key?.Text == orderId && record.Topic != Topics.OrderIdClaims)
            .OrderBy(record => record.Timestamp).ThenBy(record => record.Topic, StringComparer.Ordinal)
            .Select(record => new TrailStep(Step(record.Topic), Summary(record), record))
            .ToList();
        return new OrderTrailView(orderId, steps, index.HeldFrom());
    }

    private static string Step(string topic) => topic switch
    {
        Topics.OrdersReceived => "received",
        Topics.OrdersConfirmed => "confirmed",
        Topics.OrdersRejected => "rejected",
        Topics.OrdersAnalytics => "sent to analytics",
        Topics.EmailsSent => "emailed",
        Topics.EmailsFailed => "email failed",
        _ when DeadLetterTopics.IsDeadLetterTopic(topic) => "dead-lettered",
        _ => topic,
    };

    private string Summary(RecordView record)
    {
        if (DeadLetterTopics.HoldsFailures(record.Topic) && deadLetters.Get(new RecordCoordinates(record.Topic, record.Partition, record.Offset)) is { } letter)
        {
            return $"{letter.Reason} from {letter.SourceTopic}: {letter.Error}";
        }

        if (record.Value is not { Kind: ValueKinds.Json, Truncated: false } value)
        {
            return "";
        }

        try
        {
            using var json = JsonDocument.Parse(value.Text);
            var root = json.RootElement;
            return record.Topic switch
            {
                Topics.OrdersRejected => $"{Text(root, "Reason")}: {Text(root, "Message")}",
                Topics.OrdersConfirmed => $"total {Text(root, "Total")} {Text(root, "Currency")}",
                Topics.OrdersReceived => $"{(root.TryGetProperty("Lines", out var lines) && lines.ValueKind == JsonValueKind.Array ? lines.GetArrayLength() : 0)} lines",
                _ => "",
            };
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) || root.TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(name), out value) ? value.ToString() : "";
}
