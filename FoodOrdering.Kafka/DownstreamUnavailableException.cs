namespace FoodOrdering.Kafka;

/// <summary>
/// Thrown by an <see cref="IMessageHandler{TMessage}"/> when the work cannot be done now for a reason that is not the
/// message's as far as the handler can tell: the service it delivers to refuses every request, cannot be reached, or
/// answers in a way the handler does not know. Its batch counts as <see cref="BatchOutcome.Failed"/> and is replayed
/// after a backoff for as long as that lasts, unless taking the batch apart shows the message failing alone while
/// others get through (<see cref="IMessageHandler{TMessage}.FailedAloneAsync"/>). Its text reaches logs and spans, so
/// it must hold no customer data.
/// </summary>
public sealed class DownstreamUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
