using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// The calls a transactional worker makes on its producer (KIP-447): begin, produce through <see cref="Producer"/>,
/// send the consumer's offsets with its group metadata, commit or abort.
/// </summary>
public interface ITransactionalProducer : IDisposable
{
    /// <summary>For producing the transaction's records; the transaction itself is driven through this interface.</summary>
    IProducer<string, byte[]> Producer { get; }

    /// <summary>Serves the client's pending events (errors, delivery reports) without waiting.</summary>
    void ServeEvents();

    void BeginTransaction();

    void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout);

    void CommitTransaction(TimeSpan timeout);

    void AbortTransaction(TimeSpan timeout);
}
