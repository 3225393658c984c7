using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using MailKit.Net.Smtp;
using MimeKit;
using Polly;
using Polly.Registry;

namespace FoodOrdering.Emails;

/// <summary>
/// Emails the customer of a confirmed order and returns only when the SMTP server accepted it, or when it can
/// never be delivered and is recorded on <see cref="Topics.EmailsFailed"/>. Transient failures are retried with
/// backoff for as long as they last, so the consumer does not move past an unsent email.
/// </summary>
internal sealed partial class OrderConfirmedHandler(
    ConfirmationEmail email,
    SmtpEmailSender sender,
    RecentlySentOrders sent,
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
        if (sent.Contains(order.OrderId))
        {
            metrics.DuplicateSkipped();
            LogAlreadyEmailed(logger, order.OrderId);
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
        catch (SmtpCommandException e) when (SmtpFailures.IsPermanent(e))
        {
            await FailAsync(order, EmailFailureReasons.Rejected, e.Message, (int)e.StatusCode, cancellationToken);
            return;
        }

        sent.Add(order.OrderId);
        metrics.Emailed(time.GetUtcNow() - order.PlacedAt);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogEmailed(logger, order.OrderId, Pii.MaskEmail(order.Customer.Email));
        }
    }

    private async Task FailAsync(OrderConfirmed order, string reason, string detail, int? statusCode, CancellationToken cancellationToken)
    {
        var failure = new EmailFailed(order.OrderId, order.Customer.Email, time.GetUtcNow(), reason, detail, statusCode);
        await producer.PublishAsync(Topics.EmailsFailed, order.OrderId.ToString(), failure, ContractsJsonContext.Default.EmailFailed, cancellationToken);
        sent.Add(order.OrderId);
        metrics.Failed(reason);
        LogUndeliverable(logger, order.OrderId, Pii.MaskEmail(order.Customer.Email), reason, Pii.MaskEmailsIn(detail));
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Order {OrderId} was already emailed; not sending it again")]
    private static partial void LogAlreadyEmailed(ILogger logger, Guid orderId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Emailed the confirmation of order {OrderId} to {Email}")]
    private static partial void LogEmailed(ILogger logger, Guid orderId, string email);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "The confirmation of order {OrderId} to {Email} can never be delivered ({Reason}): {Detail}")]
    private static partial void LogUndeliverable(ILogger logger, Guid orderId, string email, string reason, string detail);
}
