namespace FoodOrdering.Kafka;

/// <summary>
/// Does the work for one consumed message. Returning means the work is durable (outputs acknowledged by
/// the broker, email accepted by the server), so the message's offset may be committed.
/// </summary>
public interface IMessageHandler<in TMessage>
{
    Task HandleAsync(TMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// <paramref name="message"/> failed alone again and again while other messages were handled, last with
    /// <paramref name="lastError"/>: it is the message's own failure. True when the handler made that durable itself
    /// (the Emails service's <c>emails.failed</c>); false, by default, to dead-letter the message with the error.
    /// </summary>
    Task<bool> FailedAloneAsync(TMessage message, Exception lastError, CancellationToken cancellationToken) => Task.FromResult(false);
}
