namespace FoodOrdering.Kafka;

/// <summary>How a <see cref="KafkaConsumeLoop"/> makes a delivered batch's offsets durable.</summary>
public enum OffsetCommit
{
    /// <summary>Stored and committed at once, so a crash replays at most about one batch.</summary>
    StoreAndCommit,

    /// <summary>The delivery committed them itself, inside the transaction that holds the batch's outputs.</summary>
    InTransaction,
}
