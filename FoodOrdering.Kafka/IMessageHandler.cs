namespace FoodOrdering.Kafka;

/// <summary>
/// Does the work for one consumed message. Returning means the work is durable (outputs acknowledged by
/// the broker, email accepted by the server), so the message's offset may be committed.
/// </summary>
public interface IMessageHandler<in TMessage>
{
    Task HandleAsync(TMessage message, CancellationToken cancellationToken);
}
