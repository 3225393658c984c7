using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Kafka;

public static class ConsumptionControlExtensions
{
    private const string ReaderGroupId = "foodordering-consumption-control";

    /// <summary>
    /// Registers <see cref="ConsumptionStates"/> and the reader that keeps it current (once per process), and, for a
    /// <paramref name="consumerGroup"/>, a health check that says while an operator has paused it; its consume loop then takes a
    /// <see cref="ConsumptionSwitch"/> (<see cref="KafkaConsumeLoopOptions.Switch"/>).
    /// </summary>
    public static void AddConsumptionControl(this IHostApplicationBuilder builder, string connectionName, string? consumerGroup = null)
    {
        if (!builder.Services.Any(service => service.ServiceType == typeof(ConsumptionStates)))
        {
            builder.Services.AddSingleton<ConsumptionStates>();
            var settings = KafkaClientExtensions.BuildConsumerSettings(builder, connectionName, serviceKey: null,
                configure => configure.Config.GroupId = ReaderGroupId);
            var config = new ConsumerConfig(settings.Config.ToDictionary(pair => pair.Key, pair => pair.Value))
            {
                ClientId = $"{settings.Config.ClientId}-consumption-control",
                EnableAutoCommit = false,
                StatisticsIntervalMs = 0,
            };
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<ConsumptionControlReader>(services, config));
        }

        if (consumerGroup is not null)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-consumer-{consumerGroup}-paused",
                services => new ConsumptionPausedCheck(consumerGroup, services.GetRequiredService<ConsumptionStates>()),
                HealthStatus.Degraded,
                tags: null));
        }
    }
}
