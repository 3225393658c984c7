using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Transactions.OrderIds;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions;

/// <summary>
/// Turns one received message into what it should become, queued on the open transaction: a confirmation plus
/// one analytics record per line, a rejection with its reason, or a dead letter carrying the original bytes; nothing
/// at all for an order already done (<see cref="OrderIdLedger"/>), and a rejection for a different order under an id
/// already used. Nothing here throws for bad content, so one message can never stop the loop.
/// </summary>
internal sealed partial class OrderRecordProcessor(
    OrderPricer pricer,
    [FromKeyedServices(ConsumerGroups.Transactions)] DeadLetters deadLetters,
    IOptions<OrderProcessingOptions> options,
    ILogger<OrderRecordProcessor> logger)
{
    public OrderOutcome Process(ConsumeResult<string, byte[]> record, IProducer<string, byte[]> producer, OrderIdLedger ledger)
    {
        using var activity = KafkaTelemetry.StartProcess(record, ConsumerGroups.Transactions);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["OrderId"] = KafkaTelemetry.KeyTag(record.Message.Key) });

        var value = record.Message.Value;
        if (value is { Length: var length } && length > options.Value.MaxMessageBytes)
        {
            var error = $"The message is {length.ToString(CultureInfo.InvariantCulture)} bytes; at most {options.Value.MaxMessageBytes.ToString(CultureInfo.InvariantCulture)} are read.";
            return DeadLetter(record, producer, new DeadLetterCause(DeadLetterReasons.TooLarge, error, "MessageTooLarge"), activity);
        }

        OrderPlaced? order;
        try
        {
            order = value is { Length: > 0 } ? JsonSerializer.Deserialize(value, ContractsJsonContext.Default.OrderPlaced) : null;
        }
        catch (JsonException e)
        {
            return DeadLetter(record, producer, DeadLetterCause.Of(DeadLetterReasons.Unreadable, e), activity);
        }

        if (order is null)
        {
            return DeadLetter(record, producer, DeadLetterCause.Of(DeadLetterReasons.Unreadable, new JsonException("The message is empty or JSON null.")), activity);
        }

        // The serializer checks members for null but not the elements of a list.
        if (order.Lines.Any(line => line is null))
        {
            return DeadLetter(record, producer, DeadLetterCause.Of(DeadLetterReasons.Unreadable, new JsonException("An order line is null.")), activity);
        }

        // The ledger knows an id on its own partition only, where the order id as key puts every order of the id; the
        // partitioner hashes the key's bytes, so only the one spelling (lower case, hyphens) keeps to that partition.
        var key = order.OrderId.ToString();
        if (record.Message.Key != key)
        {
            return DeadLetter(record, producer, DeadLetterCause.Of(DeadLetterReasons.Unprocessable, new InvalidDataException("The message's key is not its order id.")), activity);
        }

        var fingerprint = OrderFingerprint.Of(order);
        var verdict = ledger.Check(record, order.OrderId, fingerprint);
        if (verdict == OrderIdVerdict.Duplicate)
        {
            LogDuplicate(logger, order.OrderId);
            return OrderOutcome.Duplicate;
        }

        PricingResult result;
        try
        {
            result = verdict == OrderIdVerdict.InUse ? pricer.IdInUse(order) : pricer.Price(order);
        }
        catch (Exception e)
        {
            // Whatever else a message can do to pricing, it must not stop the loop: the record would come back forever.
            return DeadLetter(record, producer, DeadLetterCause.Of(DeadLetterReasons.Unprocessable, e), activity);
        }

        if (verdict == OrderIdVerdict.New)
        {
            ledger.Claim(producer, record, order.OrderId, fingerprint);
        }
        else
        {
            LogIdInUse(logger, order.OrderId);
        }

        switch (result)
        {
            case PricingResult.Confirmed confirmed:
                producer.Enqueue(Topics.OrdersConfirmed, key, confirmed.Order, ContractsJsonContext.Default.OrderConfirmed);
                foreach (var line in confirmed.Analytics)
                {
                    producer.Enqueue(Topics.OrdersAnalytics, key, line, ContractsJsonContext.Default.OrderLineSold);
                }

                LogConfirmed(logger, order.OrderId, confirmed.Order.Total, confirmed.Order.Currency);
                return OrderOutcome.ConfirmedAs(confirmed);

            case PricingResult.Rejected rejected:
                producer.Enqueue(Topics.OrdersRejected, key, rejected.Rejection, ContractsJsonContext.Default.OrderRejected);
                LogRejected(logger, order.OrderId, rejected.Rejection.Reason, rejected.Rejection.Message);
                return OrderOutcome.RejectedFor(rejected.Rejection.Reason);

            default:
                throw new InvalidOperationException("Pricing returned neither a confirmation nor a rejection.");
        }
    }

    private OrderOutcome DeadLetter(ConsumeResult<string, byte[]> record, IProducer<string, byte[]> producer, DeadLetterCause cause, System.Diagnostics.Activity? activity)
    {
        activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, cause.Error);
        deadLetters.Enqueue(producer, record, cause);
        return OrderOutcome.DeadLetteredFor(cause.Reason);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Confirmed order {OrderId}: {Total} {Currency}")]
    private static partial void LogConfirmed(ILogger logger, Guid orderId, decimal total, string currency);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Order {OrderId} was received again as it was; it is done already")]
    private static partial void LogDuplicate(ILogger logger, Guid orderId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "A different order was received under the order id {OrderId} of an order received before; it is rejected")]
    private static partial void LogIdInUse(ILogger logger, Guid orderId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Rejected order {OrderId}: {Reason} {Message}")]
    private static partial void LogRejected(ILogger logger, Guid orderId, string reason, string message);
}
