namespace FoodOrdering.Kafka;

/// <summary>
/// Thrown by an <see cref="IMessageHandler{TMessage}"/> when the work cannot be done now for a reason that is not the
/// message's: the service it delivers to refuses every request or cannot be reached. The message is then neither
/// retried alone nor dead-lettered; its batch counts as <see cref="BatchOutcome.Failed"/> and is replayed after a
/// backoff, for as long as that lasts. Its text reaches logs and spans, so it must hold no customer data.
/// </summary>
public sealed class DownstreamUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
