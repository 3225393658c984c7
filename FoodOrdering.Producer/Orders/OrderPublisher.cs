using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Producer.Tracking;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// Puts an order on <see cref="Topics.OrdersReceived"/>, keyed by its id; returns once the broker has it. Both the
/// API and the generator go through here, so this is where an order's trace, log scope and count begin.
/// </summary>
internal sealed partial class OrderPublisher
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly OrderTrackingBoard _board;
    private readonly ILogger<OrderPublisher> _logger;
    private readonly Counter<long> _received;

    public OrderPublisher(IProducer<string, byte[]> producer, OrderTrackingBoard board, IMeterFactory meterFactory, IHostEnvironment environment, ILogger<OrderPublisher> logger)
    {
        _producer = producer;
        _board = board;
        _logger = logger;
        _received = meterFactory.Create(environment.ApplicationName)
            .CreateCounter<long>("foodordering.orders.received", "{order}", "Orders placed on orders.received (API and generator)");
    }

    public async Task PublishAsync(OrderPlaced order, CancellationToken cancellationToken)
    {
        Activity.Current?.SetTag("order.id", order.OrderId);
        using var scope = _logger.BeginScope(new Dictionary<string, object?> { ["OrderId"] = order.OrderId });
        await _producer.PublishAsync(Topics.OrdersReceived, order.OrderId.ToString(), order, ContractsJsonContext.Default.OrderPlaced, cancellationToken);
        _received.Add(1);
        _board.Placed(order);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogPlaced(_logger, order.OrderId, order.Lines.Count, Pii.MaskEmail(order.Customer.Email));
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Placed order {OrderId} with {Lines} lines for {Email}")]
    private static partial void LogPlaced(ILogger logger, Guid orderId, int lines, string email);
}
