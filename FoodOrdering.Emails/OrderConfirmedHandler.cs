using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using MimeKit;

namespace FoodOrdering.Emails;

/// <summary>
/// Emails the customer of a confirmed order and returns only when the SMTP server accepted it, or when this email
/// can never be delivered and is recorded on <see cref="Topics.EmailsFailed"/>: an address mail servers do not take
/// (<see cref="EmailAddressRule"/>, checked before sending), or a confirmation it cannot trust. A failed send throws
/// its <see cref="SmtpSendException"/>, after telling readiness what the server's answer says about the server;
/// what the email then gets — retried in place, its batch replayed, or recorded as failed
/// (<see cref="FailedAloneAsync"/>) — is the consumer's one failure policy's, declared at its registration
/// (<see cref="Extensions"/>). A sent email is announced on <see cref="Topics.EmailsSent"/> (again for a redelivered
/// order), the customer's tracking view's last step; until Kafka takes that, the batch is replayed, and the replay
/// announces without sending again.
/// </summary>
internal sealed partial class OrderConfirmedHandler(
    ConfirmationEmail email,
    SmtpEmailSender sender,
    RecentlySentOrders sent,
    SmtpServerHealth serverHealth,
    IProducer<string, byte[]> producer,
    EmailMetrics metrics,
    TimeProvider time,
    ILogger<OrderConfirmedHandler> logger)
    : IMessageHandler<OrderConfirmed>
{
    public async Task HandleAsync(OrderConfirmed order, CancellationToken cancellationToken)
    {
        if (sent.TryGet(order.OrderId, out var emailed))
        {
            metrics.DuplicateSkipped();
            LogAlreadyEmailed(logger, order.OrderId);
            if (emailed)
            {
                await AnnounceAsync(order, cancellationToken);
            }

            return;
        }

        if (EmailAddressRule.Problem(order.Customer.Email) is { } problem)
        {
            await FailAsync(order, EmailFailureReasons.InvalidAddress, problem, null, cancellationToken);
            return;
        }

        if (TrustedConfirmation.Problem(order) is { } untrusted)
        {
            await FailAsync(order, EmailFailureReasons.UntrustedConfirmation, untrusted, null, cancellationToken);
            return;
        }

        MimeMessage message;
        try
        {
            message = email.Create(order);
        }
        catch (ParseException e)
        {
            await FailAsync(order, EmailFailureReasons.InvalidAddress, e.Message, null, cancellationToken);
            return;
        }

        try
        {
            await sender.SendAsync(message, order.OrderId, cancellationToken);
        }
        catch (SmtpSendException e) when (!e.Final)
        {
            metrics.Retried();
            if (e.Scope is SmtpFailureScope.Server)
            {
                serverHealth.ServerFailed(e.Message);
                LogServerRefused(logger, order.OrderId, e.Message);
            }
            else
            {
                serverHealth.EmailRefused(order.OrderId, e.Message);
                LogEmailRefused(logger, order.OrderId, e.Message);
            }

            throw;
        }

        serverHealth.Accepted();
        sent.Add(order.OrderId, emailed: true);
        metrics.Emailed(time.GetUtcNow() - order.PlacedAt);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogEmailed(logger, order.OrderId, Pii.MaskEmail(order.Customer.Email));
        }

        await AnnounceAsync(order, cancellationToken);
    }

    /// <summary>
    /// The email is refused for good (<see cref="SmtpSendException.Final"/>), or its send failed alone again and again
    /// while other emails went out: whatever the server said, it says it about this email, which is recorded on
    /// <see cref="Topics.EmailsFailed"/> with the server's last reply (masked). A sent email whose announcement keeps
    /// failing is not a failed email: it is dead-lettered instead.
    /// </summary>
    public async Task<bool> FailedAloneAsync(OrderConfirmed order, Exception lastError, CancellationToken cancellationToken)
    {
        if (sent.TryGet(order.OrderId, out var emailed))
        {
            return !emailed;
        }

        var (reason, statusCode) = lastError is SmtpSendException refused
            ? (refused.Scope is SmtpFailureScope.Server ? EmailFailureReasons.FailsAlone : ReasonFor(refused), refused.StatusCode)
            : (EmailFailureReasons.FailsAlone, null);
        if (lastError is SmtpSendException { Scope: not SmtpFailureScope.Server })
        {
            serverHealth.MessageRefused();
        }

        await FailAsync(order, reason, lastError.Message, statusCode, cancellationToken);
        return true;
    }

    private static string ReasonFor(SmtpSendException refused) =>
        refused.Scope is SmtpFailureScope.Message ? EmailFailureReasons.MessageRejected : EmailFailureReasons.Rejected;

    private async Task AnnounceAsync(OrderConfirmed order, CancellationToken cancellationToken)
    {
        var announcement = new EmailSent(order.OrderId, time.GetUtcNow(), email.MessageIdOf(order));
        // The email is out; only its announcement waits. Kafka's error replays the batch, whose replay finds the order
        // sent and announces it without sending it again.
        await producer.PublishAsync(Topics.EmailsSent, order.OrderId.ToString(), announcement, ContractsJsonContext.Default.EmailSent, cancellationToken);
    }

    private async Task FailAsync(OrderConfirmed order, string reason, string detail, int? statusCode, CancellationToken cancellationToken)
    {
        var failure = new EmailFailed(order.OrderId, order.Customer.Email, time.GetUtcNow(), reason, detail, statusCode);
        await producer.PublishAsync(Topics.EmailsFailed, order.OrderId.ToString(), failure, ContractsJsonContext.Default.EmailFailed, cancellationToken);
        sent.Add(order.OrderId, emailed: false);
        metrics.Failed(reason);
        LogUndeliverable(logger, order.OrderId, Pii.MaskEmail(order.Customer.Email), reason, Pii.MaskEmailsIn(detail));
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Order {OrderId} was already emailed; not sending it again")]
    private static partial void LogAlreadyEmailed(ILogger logger, Guid orderId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Emailed the confirmation of order {OrderId} to {Email}")]
    private static partial void LogEmailed(ILogger logger, Guid orderId, string email);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "The confirmation of order {OrderId} to {Email} can never be delivered ({Reason}): {Detail}")]
    private static partial void LogUndeliverable(ILogger logger, Guid orderId, string email, string reason, string detail);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "The SMTP server refused the confirmation of order {OrderId} ({Error}), not known to be for good; it is tried again with its batch, and recorded as failed if it keeps failing alone")]
    private static partial void LogEmailRefused(ILogger logger, Guid orderId, string error);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "The SMTP server did not take the confirmation of order {OrderId} ({Error}); not the email's fault, so it is tried again, in place and then with its batch after a backoff")]
    private static partial void LogServerRefused(ILogger logger, Guid orderId, string error);
}
