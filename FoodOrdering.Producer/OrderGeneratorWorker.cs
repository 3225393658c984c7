using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer;

/// <summary>Publishes generated orders at the configured rate; each tick is the root of that order's trace.</summary>
internal sealed class OrderGeneratorWorker(
    OrderGenerator generator,
    OrderPublisher publisher,
    IOptions<OrderGeneratorOptions> options,
    TimeProvider time,
    ILogger<OrderGeneratorWorker> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new(typeof(OrderGeneratorWorker).Assembly.GetName().Name!);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("The order generator is off ({Section}:Enabled = false)", OrderGeneratorOptions.SectionName);
            return;
        }

        logger.LogInformation("Generating {Rate} orders/s, limit {Limit} (0 = none)", settings.OrdersPerSecond, settings.Limit);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / settings.OrdersPerSecond), time);
        var published = 0;
        while ((settings.Limit == 0 || published < settings.Limit) && await timer.WaitForNextTickAsync(stoppingToken))
        {
            var order = generator.Next();
            using var activity = Source.StartActivity("generate order", ActivityKind.Internal, parentContext: default);
            activity?.SetTag("order.id", order.OrderId);
            try
            {
                await publisher.PublishAsync(order, stoppingToken);
                published++;
                logger.LogDebug("Published order {OrderId}", order.OrderId);
            }
            catch (ProduceException<string, byte[]> e)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.Error.Reason);
                logger.LogWarning("Order {OrderId} was not published: {Reason}", order.OrderId, e.Error.Reason);
            }
        }

        logger.LogInformation("The order generator stopped after {Count} orders", published);
    }
}
