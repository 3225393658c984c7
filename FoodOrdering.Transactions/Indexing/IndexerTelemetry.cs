using System.Diagnostics;
using Confluent.Kafka;
using FoodOrdering.Kafka;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// The span of one batch. A batch of one order's lines is a child of that order's trace (so its bulk request shows
/// in the order's trace, with <c>order.id</c>); a batch of several orders links to each order's trace instead.
/// </summary>
internal static class IndexerTelemetry
{
    private const int MaxLinks = 128;

    private static readonly ActivitySource Source = new(typeof(IndexerTelemetry).Assembly.GetName().Name!);

    public static Activity? StartBatch(IReadOnlyList<ConsumeResult<string, byte[]>> batch, string consumerGroup)
    {
        var contexts = batch.Select(record => KafkaTelemetry.Extract(record.Message.Headers).ActivityContext)
            .Where(context => context != default)
            .Distinct()
            .ToList();
        var orders = batch.Select(record => record.Message.Key).Distinct(StringComparer.Ordinal).ToList();
        // One order's lines each carry their own publish span, all in that order's trace.
        var oneOrder = orders.Count == 1 && contexts.Select(context => context.TraceId).Distinct().Count() <= 1;

        var activity = oneOrder
            ? Source.StartActivity($"index {batch[0].Topic}", ActivityKind.Consumer, contexts.FirstOrDefault())
            : Source.StartActivity($"index {batch[0].Topic}", ActivityKind.Consumer, parentContext: default,
                links: [.. contexts.Take(MaxLinks).Select(context => new ActivityLink(context))]);
        activity?.SetTag("messaging.system", "kafka")
            .SetTag("messaging.operation.type", "process")
            .SetTag("messaging.operation.name", "index")
            .SetTag("messaging.destination.name", batch[0].Topic)
            .SetTag("messaging.consumer.group.name", consumerGroup)
            .SetTag("messaging.batch.message_count", batch.Count)
            .SetTag("db.system.name", "elasticsearch");
        if (oneOrder)
        {
            activity?.SetTag("order.id", orders[0]);
        }

        return activity;
    }
}
