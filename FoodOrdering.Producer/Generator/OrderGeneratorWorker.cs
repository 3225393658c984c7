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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        logger.LogInformation("Order generator: {Rate} orders/s, limit {Limit} (0 = none), {State}",
            settings.OrdersPerSecond, settings.Limit, control.IsRunning ? "running" : "stopped until started");
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / settings.OrdersPerSecond), time);
        while (settings.Limit == 0 || control.Generated < settings.Limit)
        {
            await control.WaitUntilRunningAsync(stoppingToken);
            if (!await timer.WaitForNextTickAsync(stoppingToken) || !control.IsRunning)
            {
                continue;
            }

            try
            {
                var order = await orders.PublishAsync(stoppingToken);
                control.CountGenerated();
                logger.LogDebug("Published generated order {OrderId}", order.OrderId);
            }
            catch (KafkaException e)
            {
                logger.LogWarning("A generated order was not published: {Reason}", e.Error.Reason);
            }
        }

        logger.LogInformation("The order generator reached its limit of {Limit} orders", settings.Limit);
    }
}
