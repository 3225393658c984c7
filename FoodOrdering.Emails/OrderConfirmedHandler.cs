using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using MimeKit;
using Polly;
using Polly.Registry;

namespace FoodOrdering.Emails;

/// <summary>
/// Emails the customer of a confirmed order and returns only when the SMTP server accepted it, or when this email
/// can never be delivered (its recipient or its content refused for good) and is recorded on
/// <see cref="Topics.EmailsFailed"/>. When the server takes no email at all (it refuses the session, the sender or
/// the credentials, cannot be reached, or says "try later"), a quick retry or two rides out a dropped connection;
/// after that the handler throws <see cref="DownstreamUnavailableException"/>, so the consumer replays the batch
/// with a backoff for as long as that lasts: nothing is marked sent or failed, and readiness says why. A sent email
/// is announced on <see cref="Topics.EmailsSent"/> (again for a redelivered order), the customer's tracking view's
/// last step; until Kafka takes that, the batch is replayed, and the replay announces without sending again.
/// </summary>
internal sealed partial class OrderConfirmedHandler(
    ConfirmationEmail email,
    SmtpEmailSender sender,
    RecentlySentOrders sent,
    SmtpServerHealth serverHealth,
    IProducer<string, byte[]> producer,
    ResiliencePipelineProvider<string> pipelines,
    EmailMetrics metrics,
    TimeProvider time,
    ILogger<OrderConfirmedHandler> logger)
    : IMessageHandler<OrderConfirmed>
{
    public const string SmtpRetries = "smtp-send";

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

        if (TrustedConfirmation.Problem(order) is { } problem)
        {
            await FailAsync(order, EmailFailureReasons.UntrustedConfirmation, problem, null, cancellationToken);
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
            await pipelines.GetPipeline(SmtpRetries).ExecuteAsync(
                static async (state, token) => await state.sender.SendAsync(state.message, state.OrderId, token),
                (sender, message, order.OrderId),
                cancellationToken);
        }
        catch (SmtpSendException e) when (e.Scope is not SmtpFailureScope.Server)
        {
            serverHealth.Answered();
            var reason = e.Scope is SmtpFailureScope.Recipient ? EmailFailureReasons.Rejected : EmailFailureReasons.MessageRejected;
            await FailAsync(order, reason, e.Message, e.StatusCode, cancellationToken);
            return;
        }
        catch (SmtpSendException e)
        {
            serverHealth.Refused(e.Message);
            metrics.Retried();
            LogServerRefused(logger, order.OrderId, e.Message);
            throw new DownstreamUnavailableException($"The SMTP server takes no email now: {e.Message}", e);
        }

        serverHealth.Answered();
        sent.Add(order.OrderId, emailed: true);
        metrics.Emailed(time.GetUtcNow() - order.PlacedAt);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogEmailed(logger, order.OrderId, Pii.MaskEmail(order.Customer.Email));
        }

        await AnnounceAsync(order, cancellationToken);
    }

    private async Task AnnounceAsync(OrderConfirmed order, CancellationToken cancellationToken)
    {
        var announcement = new EmailSent(order.OrderId, time.GetUtcNow(), email.MessageIdOf(order));
        try
        {
            await producer.PublishAsync(Topics.EmailsSent, order.OrderId.ToString(), announcement, ContractsJsonContext.Default.EmailSent, cancellationToken);
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            // The email is out; only its announcement waits. Retrying the handler would send it again, dead-lettering
            // would call a sent email unprocessable: the replay finds it sent and announces it then.
            throw new DownstreamUnavailableException($"Kafka did not take the announcement that order {order.OrderId} was emailed: {e.Error.Reason}", e);
        }
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

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "The SMTP server did not take the confirmation of order {OrderId} ({Error}); not the email's fault, so it and its batch are tried again after a backoff")]
    private static partial void LogServerRefused(ILogger logger, Guid orderId, string error);
}
