namespace FoodOrdering.Kafka;

/// <summary>How a <see cref="KafkaConsumeLoop"/> makes a delivered batch's offsets durable.</summary>
public enum OffsetCommit
{
    /// <summary>Stored and committed after every batch, so a crash replays only the last batches before it.</summary>
    StoreAndCommit,

    /// <summary>The delivery committed them itself, inside the transaction that holds the batch's outputs.</summary>
    InTransaction,
}
