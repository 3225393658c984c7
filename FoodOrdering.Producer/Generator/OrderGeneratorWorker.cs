using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Generator;

/// <summary>Publishes generated orders at the configured rate while the generator is switched on, up to the limit.</summary>
internal sealed partial class OrderGeneratorWorker(
    GeneratedOrderPublisher orders,
    OrderGeneratorControl control,
    IOptions<OrderGeneratorOptions> options,
    TimeProvider time,
    ILogger<OrderGeneratorWorker> logger) : BackgroundService
{
    // Timers tick no finer than this; faster rates publish several orders a tick.
    private static readonly TimeSpan FinestTick = TimeSpan.FromMilliseconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        LogSettings(logger, settings.OrdersPerSecond, settings.Limit, control.IsRunning ? "running" : "stopped until started");
        var period = TimeSpan.FromSeconds(1 / settings.OrdersPerSecond);
        using var timer = new PeriodicTimer(period > FinestTick ? period : FinestTick, time);
        // The pace is kept by how many orders are due since the generator was started, not by one per tick: a tick
        // comes late on a busy machine, and each order waits for Kafka's acknowledgement (linger and a round trip),
        // so publishing one order at a time would cap the rate at one order per acknowledgement.
        var started = time.GetTimestamp();
        long published = 0;
        var wasRunning = false;
        while (settings.Limit == 0 || control.Generated < settings.Limit)
        {
            await control.WaitUntilRunningAsync(stoppingToken);
            if (!wasRunning)
            {
                (started, published, wasRunning) = (time.GetTimestamp(), 0, true);
            }

            if (!await timer.WaitForNextTickAsync(stoppingToken) || !control.IsRunning)
            {
                wasRunning = control.IsRunning;
                continue;
            }

            var due = (long)(time.GetElapsedTime(started).TotalSeconds * settings.OrdersPerSecond) - published;
            // Behind by more than a second (the broker was slow), it catches up a second's worth at a time.
            due = Math.Min(due, Math.Max(1, (long)settings.OrdersPerSecond));
            if (settings.Limit > 0)
            {
                due = Math.Min(due, settings.Limit - control.Generated);
            }

            if (due <= 0)
            {
                continue;
            }

            published += due;
            await Task.WhenAll(Enumerable.Range(0, (int)due).Select(_ => PublishOneAsync(stoppingToken)));
        }

        LogLimitReached(logger, settings.Limit);
    }

    private async Task PublishOneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var order = await orders.PublishAsync(cancellationToken);
            control.CountGenerated();
            LogPublished(logger, order.OrderId);
        }
        catch (KafkaException e)
        {
            LogNotPublished(logger, e.Error.Reason);
        }
    }

    [LoggerMessage(EventId = 6300, Level = LogLevel.Information, Message = "Order generator: {Rate} orders/s, limit {Limit} (0 = none), {State}")]
    private static partial void LogSettings(ILogger logger, double rate, int limit, string state);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "The order generator reached its limit of {Limit} orders")]
    private static partial void LogLimitReached(ILogger logger, int limit);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Debug, Message = "Published generated order {OrderId}")]
    private static partial void LogPublished(ILogger logger, Guid orderId);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Warning, Message = "A generated order was not published: {Reason}")]
    private static partial void LogNotPublished(ILogger logger, string reason);
}
