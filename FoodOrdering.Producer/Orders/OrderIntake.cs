using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Producer.Tracking;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// Places orders from the API: one order per <c>Idempotency-Key</c>, whatever happens to the publishes. When
/// Kafka does not confirm a publish, the key stays pinned to that order (same id, same time, same body), and a
/// retry publishes exactly that message again; consumers de-duplicate by order id. A key is free again only when
/// its order is certainly not on the log (<see cref="KafkaDeliveryErrors.CertainlyNotWritten{TKey, TValue}"/>).
/// </summary>
internal sealed partial class OrderIntake(IIdempotencyKeys keys, OrderPublisher publisher, OrderTrackingBoard board, ILogger<OrderIntake> logger)
{
    /// <summary>Places the order for <paramref name="client"/>, whose placed orders this instance keeps findable.</summary>
    public async Task<Placement> PlaceAsync(string client, string? idempotencyKey, byte[] requestFingerprint, Func<OrderPlaced> newOrder)
    {
        var placement = await PutOnTheLogAsync(idempotencyKey, requestFingerprint, newOrder, client);
        if (placement is Placement.Placed placed)
        {
            board.Keep(placed.Order, client);
        }

        return placement;
    }

    private async Task<Placement> PutOnTheLogAsync(string? idempotencyKey, byte[] requestFingerprint, Func<OrderPlaced> newOrder, string client)
    {
        if (idempotencyKey is null)
        {
            return await PublishAsync(newOrder(), keyed: false);
        }

        var claim = await keys.ClaimAsync(client, idempotencyKey, requestFingerprint, newOrder);
        if (claim.Answer is { } answer)
        {
            return answer;
        }

        if (claim.Pending is { } pending)
        {
            var settled = await pending;
            return settled is Placement.Placed placed ? placed with { Replayed = true } : settled;
        }

        var keyed = claim.Publish!;
        Placement outcome;
        try
        {
            outcome = await PublishAsync(keyed.Order, keyed: true);
        }
        catch
        {
            // Whatever failed, the order may have been produced: the key keeps it.
            await keys.SettleAsync(keyed, new Placement.MaybePlaced(keyed.Order, KeyPinned: true));
            throw;
        }

        return await keys.SettleAsync(keyed, outcome);
    }

    private async Task<Placement> PublishAsync(OrderPlaced order, bool keyed)
    {
        try
        {
            // Not the request's token: once produced, the order may land on the log, so wait for the broker's
            // answer even if the client went away.
            await publisher.PublishAsync(order, CancellationToken.None);
            return new Placement.Placed(order, Replayed: false);
        }
        catch (KafkaException e) when (KafkaDeliveryErrors.CertainlyNotWritten<string, byte[]>(e))
        {
            LogNotPlaced(logger, order.OrderId, e.Error.Code, e.Error.Reason);
            return new Placement.NotPlaced();
        }
        catch (KafkaException e)
        {
            LogUnconfirmed(logger, order.OrderId, e.Error.Code, e.Error.Reason, keyed);
            return new Placement.MaybePlaced(order, keyed);
        }
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Order {OrderId} was not placed: Kafka refused it ({Code}: {Reason})")]
    private static partial void LogNotPlaced(ILogger logger, Guid orderId, ErrorCode code, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning,
        Message = "Order {OrderId} may or may not be on the log: Kafka did not confirm it ({Code}: {Reason}); pinned to its idempotency key: {Pinned}")]
    private static partial void LogUnconfirmed(ILogger logger, Guid orderId, ErrorCode code, string reason, bool pinned);
}
