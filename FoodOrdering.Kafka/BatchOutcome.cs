namespace FoodOrdering.Kafka;

/// <summary>What became of a batch handed to an <see cref="IBatchDelivery"/>.</summary>
public enum BatchOutcome
{
    /// <summary>Every record's work is durable (done or dead-lettered): its offsets may move on.</summary>
    Delivered,

    /// <summary>The work failed and nothing of it counts: rewind to the committed offsets and replay after a backoff.</summary>
    Failed,

    /// <summary>
    /// Dropped unprocessed (its partitions moved while it was gathered), or, isolating, done in part: rewind and
    /// replay at once.
    /// </summary>
    Discarded,
}
