using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

public static class KafkaKeyedProducerExtensions
{
    private const string ProducerSection = "Aspire:Confluent:Kafka:Producer";

    /// <summary>
    /// Registers a producer of its own under <paramref name="serviceKey"/>, configured like the shared one
    /// (idempotent, acks=all, the same <c>Aspire:Confluent:Kafka:Producer:Config</c> properties), for a worker
    /// that must not depend on how another part of the service uses the shared producer (transactions, say).
    /// </summary>
    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName, string serviceKey)
    {
        var config = new ProducerConfig
        {
            ClientId = $"{builder.Environment.ApplicationName}-{serviceKey}",
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
        };
        foreach (var property in builder.Configuration.GetSection(ProducerSection).GetSection("Config").GetChildren())
        {
            if (property.Value is not null)
            {
                config.Set(property.Key, property.Value);
            }
        }

        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        config.BootstrapServers = string.IsNullOrWhiteSpace(connectionString) ? config.BootstrapServers : connectionString;
        if (string.IsNullOrWhiteSpace(config.BootstrapServers))
        {
            throw new InvalidOperationException($"No Kafka bootstrap servers: set ConnectionStrings:{connectionName} (the AppHost does this).");
        }

        builder.Services.AddKeyedSingleton(serviceKey, (sp, _) =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Confluent.Kafka");
            return new ProducerBuilder<TKey, TValue>(config)
                .SetLogHandler((_, message) => logger.Log((LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "{Facility}: {Message}", message.Facility, message.Message))
                .SetErrorHandler((_, error) => logger.Log(error.IsFatal ? LogLevel.Critical : LogLevel.Warning, "Kafka client error {Code}: {Reason}", error.Code, error.Reason))
                .Build();
        });
    }
}
