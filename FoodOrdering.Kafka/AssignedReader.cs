using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// The loop of a reader that is assigned its partitions and commits nothing, so it can start wherever it needs and
/// never disturbs a consumer group (the console's live analytics). A record it cannot
/// use is the handler's to skip; a broker that cannot say where to start is asked again.
/// </summary>
public static class AssignedReader
{
    private static readonly TimeSpan RetryWait = TimeSpan.FromSeconds(1);

    /// <summary>Blocks its thread until <paramref name="stoppingToken"/> is cancelled, then closes the consumer.</summary>
    public static void Run<TKey, TValue>(
        IConsumer<TKey, TValue> consumer,
        Func<List<TopicPartitionOffset>> startPositions,
        Action<ConsumeResult<TKey, TValue>> apply,
        Action<string> startFailed,
        Action<string> consumeFailed,
        CancellationToken stoppingToken)
    {
        try
        {
            consumer.Assign(Start(startPositions, startFailed, stoppingToken));
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (consumer.Consume(stoppingToken) is { IsPartitionEOF: false, Message: not null } record)
                    {
                        apply(record);
                    }
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    consumeFailed(e.Error.Reason);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            consumer.Close();
        }
    }

    private static List<TopicPartitionOffset> Start(Func<List<TopicPartitionOffset>> startPositions, Action<string> startFailed, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return startPositions();
            }
            catch (KafkaException e) when (!e.Error.IsFatal)
            {
                startFailed(e.Error.Reason);
                stoppingToken.WaitHandle.WaitOne(RetryWait);
                stoppingToken.ThrowIfCancellationRequested();
            }
        }
    }
}
