using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// The rules every message handler's <see cref="FailurePolicy{TFailure}"/> ends with, after the consumer's own
/// (<see cref="KafkaConsumerWorkerExtensions.AddKafkaConsumerWorker{TMessage, THandler}"/> adds them).
/// </summary>
internal static class MessageFailurePolicy
{
    public static FailurePolicy<Exception> Complete(FailurePolicy<Exception> policy)
    {
        policy.On<DownstreamUnavailableException>().Replay()
            // Kafka refusing an output as a record refuses it every time; any other Kafka error is Kafka's, not the
            // record's (a fatal producer is replaced by RebuildingProducer), and dead-lettering through the same
            // Kafka would call the record bad for it.
            .On<KafkaException>(e => DeadLetters.IsRecordRefused(e.Error)).DeadLetter(DeadLetterReasons.Unprocessable)
            .On<KafkaException>().Replay()
            .On<TimeoutException>().Replay()
            // Cancelled by anything but the loop's stop: a timeout too.
            .On<OperationCanceledException>().Replay();
        if (!policy.HasOtherwise)
        {
            // A handler that throws what it does not know is taken to fail on the message: a few quick tries ride out
            // a blip, then the message is dead-lettered with the error, so it can be looked at and re-driven.
            policy.Otherwise().RetryInPlace(4, TimeSpan.FromMilliseconds(200)).DeadLetter(DeadLetterReasons.Unprocessable);
        }

        return policy;
    }
}
