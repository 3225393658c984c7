using FoodOrdering.Contracts;
using FoodOrdering.Kafka;

namespace FoodOrdering.Emails;

/// <summary>Emails the customer of a confirmed order; returns once the SMTP server accepted the message.</summary>
internal sealed class OrderConfirmedHandler(ConfirmationEmail email, SmtpEmailSender sender, ILogger<OrderConfirmedHandler> logger)
    : IMessageHandler<OrderConfirmed>
{
    public async Task HandleAsync(OrderConfirmed order, CancellationToken cancellationToken)
    {
        await sender.SendAsync(email.Create(order), cancellationToken);
        logger.LogDebug("Emailed the confirmation of order {OrderId} to {Email}", order.OrderId, Pii.MaskEmail(order.Customer.Email));
    }
}
