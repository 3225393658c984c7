using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// Admin clients for the AppHost's own calls to Kafka, logging through <see cref="ILogger"/> (librdkafka writes to
/// the console otherwise). Connection errors while a broker starts are expected and the caller reports what they
/// amount to, so they log at Debug.
/// </summary>
internal static partial class KafkaAdminClients
{
    public static IAdminClient Create(string bootstrapServers, ILogger logger) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
            .SetLogHandler(LogTo(logger))
            .SetErrorHandler((_, error) => LogClientError(logger, error.IsFatal ? LogLevel.Error : LogLevel.Debug, error.Code, error.Reason))
            .Build();

    /// <summary>librdkafka's own lines, at the level it gives them, for any client the AppHost builds.</summary>
    public static Action<IClient, LogMessage> LogTo(ILogger logger) =>
        (_, message) => LogClientMessage(logger, (LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging), message.Facility, message.Message);

    [LoggerMessage(EventId = 4300, Message = "{Facility}: {Message}")]
    private static partial void LogClientMessage(ILogger logger, LogLevel level, string facility, string message);

    [LoggerMessage(EventId = 4301, Message = "Kafka admin client error {Code}: {Reason}")]
    private static partial void LogClientError(ILogger logger, LogLevel level, ErrorCode code, string reason);
}
