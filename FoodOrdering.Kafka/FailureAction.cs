namespace FoodOrdering.Kafka;

/// <summary>What a failure gets once its retries in place (<see cref="FailureRule{TFailure}.RetriesInPlace"/>) are spent.</summary>
public enum FailureAction
{
    /// <summary>
    /// An outage as far as the consumer can tell: the batch fails and the consume loop replays it with backoff,
    /// readiness saying why. A record that keeps failing so alone while others get through is set aside as its own
    /// failure (<see cref="BatchIsolation"/>, reason <see cref="DeadLetterReasons.FailsAlone"/>).
    /// </summary>
    Replay,

    /// <summary>
    /// A refusal by the downstream itself, never by the record (access, a missing index, a block, overload): the batch
    /// is replayed for as long as it lasts, and no record is ever set aside for it.
    /// </summary>
    WaitOut,

    /// <summary>
    /// The record's own refusal, known at once: the consumer records it as failed (the Emails service's
    /// <c>emails.failed</c>, <see cref="IMessageHandler{TMessage}.FailedAloneAsync"/>), or else it is dead-lettered.
    /// </summary>
    SetAside,

    /// <summary>The record goes to its dead-letter topic with <see cref="FailureRule{TFailure}.DeadLetterReason"/>.</summary>
    DeadLetter,
}
