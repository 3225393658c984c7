using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// The work a <see cref="KafkaConsumeLoop"/> does with each batch. All calls come from the loop's one thread, the
/// same that runs the consumer's rebalance callbacks, so an implementation needs no locking against them.
/// </summary>
public interface IBatchDelivery
{
    /// <summary>
    /// Does the batch's work. Records that cannot be read or processed are dead-lettered here (through
    /// <see cref="DeadLetters"/>), so they count as delivered. A non-fatal <see cref="KafkaException"/> counts as
    /// <see cref="BatchOutcome.Failed"/>; any other exception ends the loop.
    /// </summary>
    Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the latest <see cref="DeliverAsync"/> got work through the downstream (an email sent, a document
    /// indexed, a transaction committed), not only skipped records already done or dead-lettered unreadable ones: only
    /// that shows, while isolating (<see cref="BatchIsolation"/>), that the downstream works.
    /// </summary>
    bool ReachedDownstream { get; }

    /// <summary>
    /// Whether <paramref name="record"/> last failed while the downstream took other records after it (the rest of
    /// the same bulk request, the messages handled after it): evidence, like a later success while isolating, that
    /// the failure is the record's.
    /// </summary>
    bool FailedWhileOthersWereTaken(ConsumeResult<string, byte[]> record) => false;

    /// <summary>
    /// Makes <paramref name="record"/>'s failure durable as its own — a dead letter, or the consumer's record of a
    /// failure (<c>emails.failed</c>) — with why it last failed: it failed alone again and again while other records
    /// got through (<see cref="BatchIsolation"/>). A transactional delivery commits its offset with it. False when that
    /// could not be written now; the batch is then replayed.
    /// </summary>
    Task<bool> SetAsideAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken);

    /// <summary>The consumer subscribed; joining the group goes on in the background until the first batch.</summary>
    void Subscribed()
    {
    }

    /// <summary>A pass gathered nothing.</summary>
    void Idle()
    {
    }

    /// <summary>The loop is stopping; the consumer is closed right after.</summary>
    void Closing()
    {
    }
}
