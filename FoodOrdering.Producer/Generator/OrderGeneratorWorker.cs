using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Generator;

/// <summary>Publishes generated orders at the configured rate while the generator is switched on, up to the limit.</summary>
internal sealed class OrderGeneratorWorker(
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
        logger.LogInformation("Order generator: {Rate} orders/s, limit {Limit} (0 = none), {State}",
            settings.OrdersPerSecond, settings.Limit, control.IsRunning ? "running" : "stopped until started");
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

        logger.LogInformation("The order generator reached its limit of {Limit} orders", settings.Limit);
    }

    private async Task PublishOneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var order = await orders.PublishAsync(cancellationToken);
            control.CountGenerated();
            logger.LogDebug("Published generated order {OrderId}", order.OrderId);
        }
        catch (KafkaException e)
        {
            logger.LogWarning("A generated order was not published: {Reason}", e.Error.Reason);
        }
    }
}
