using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// Admin clients for the AppHost's own calls to Kafka, logging through <see cref="ILogger"/> (librdkafka writes to
/// the console otherwise). Connection errors while a broker starts are expected and the caller reports what they
/// amount to, so they log at Debug.
/// </summary>
internal static class KafkaAdminClients
{
    public static IAdminClient Create(string bootstrapServers, ILogger logger) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
            .SetLogHandler((_, message) => logger.Log(
                (LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "{Facility}: {Message}", message.Facility, message.Message))
            .SetErrorHandler((_, error) => logger.Log(
                error.IsFatal ? LogLevel.Error : LogLevel.Debug, "Kafka admin client error {Code}: {Reason}", error.Code, error.Reason))
            .Build();
}
