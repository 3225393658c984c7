using Confluent.Kafka;

namespace FoodOrdering.Kafka;

public static class KafkaBatchConsumeExtensions
{
    /// <summary>
    /// Collects up to <paramref name="maxMessages"/> records, waiting at most <paramref name="maxWait"/> after the
    /// first one arrives (and at most <paramref name="idleWait"/> for that first one), so a busy topic fills whole
    /// batches and a quiet one still moves on time; records already fetched join without waiting, even with a
    /// zero <paramref name="maxWait"/>. Returns an empty list when nothing arrived.
    /// </summary>
    public static List<ConsumeResult<TKey, TValue>> ConsumeBatch<TKey, TValue>(
        this IConsumer<TKey, TValue> consumer,
        int maxMessages,
        TimeSpan maxWait,
        TimeSpan idleWait,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        var batch = new List<ConsumeResult<TKey, TValue>>(Math.Min(maxMessages, 1024));
        var first = ConsumeOne(consumer, idleWait, cancellationToken);
        if (first is null)
        {
            return batch;
        }

        batch.Add(first);
        var deadline = Environment.TickCount64 + (long)maxWait.TotalMilliseconds;
        while (batch.Count < maxMessages)
        {
            // Records already fetched come back without waiting, so they still join once the wait is over; the
            // timeout only matters when the queue is empty.
            var remaining = Math.Max(0, deadline - Environment.TickCount64);
            ConsumeResult<TKey, TValue>? next;
            try
            {
                next = ConsumeOne(consumer, TimeSpan.FromMilliseconds(remaining), cancellationToken);
            }
            catch (ConsumeException) when (batch.Count > 0)
            {
                // Hand over what was gathered (its positions have moved on); a lasting error shows on the next call.
                break;
            }

            if (next is null)
            {
                break;
            }

            batch.Add(next);
        }

        return batch;
    }

    private static ConsumeResult<TKey, TValue>? ConsumeOne<TKey, TValue>(IConsumer<TKey, TValue> consumer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = consumer.Consume(timeout);
        return result is null || result.IsPartitionEOF ? null : result;
    }
}
