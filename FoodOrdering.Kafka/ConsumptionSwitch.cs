using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// The consume loop's hook for an operator's pause: while <see cref="ConsumptionStates"/> says the group is paused,
/// every partition the consumer holds is paused (also those a rebalance hands it later) and records fetched before
/// the pause took hold are given back by seeking to them, so none is worked on. The loop keeps polling, so the
/// consumer keeps its group membership and its partitions; a resume lets it go on from where it stopped.
/// </summary>
public sealed class ConsumptionSwitch(string consumerGroup, ConsumptionStates states)
{
    private bool _paused;

    /// <summary>The records of <paramref name="batch"/> to work on now: all of them, or none while paused.</summary>
    public List<ConsumeResult<TKey, TValue>> Hold<TKey, TValue>(IConsumer<TKey, TValue> consumer, KafkaConsumerMonitor monitor, List<ConsumeResult<TKey, TValue>> batch)
    {
        if (states.PausedBy(consumerGroup) is null)
        {
            if (_paused)
            {
                consumer.Resume(consumer.Assignment);
                _paused = false;
            }

            return batch;
        }

        // Pausing what is already paused changes nothing, so the whole assignment is paused on every pass.
        consumer.Pause(consumer.Assignment);
        _paused = true;
        monitor.Held();
        foreach (var first in batch.GroupBy(record => record.TopicPartition).Select(partition => partition.MinBy(record => record.Offset.Value)!))
        {
            consumer.Seek(first.TopicPartitionOffset);
        }

        return batch.Count == 0 ? batch : [];
    }
}
