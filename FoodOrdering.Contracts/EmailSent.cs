namespace FoodOrdering.Contracts;

/// <summary>
/// An order's confirmation email, accepted by the mail server, on <see cref="Topics.EmailsSent"/>: the last step of
/// the order's story as the customer's tracking view tells it. At least once: a repeat carries the same
/// <see cref="MessageId"/>.
/// </summary>
public sealed record EmailSent(Guid OrderId, DateTimeOffset SentAt, string MessageId);
