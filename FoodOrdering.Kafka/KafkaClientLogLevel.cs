using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

/// <summary>The level a librdkafka log line is logged at: librdkafka's own, but for the retries it always makes good.</summary>
internal static class KafkaClientLogLevel
{
    public static LogLevel Of(LogMessage message) =>
        IsBootstrapHandoverRetry(message) ? LogLevel.Information : (LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging);

    // At start an idempotent producer may ask the bootstrap connection for its producer id just as librdkafka replaces
    // that connection with the broker the metadata named; it warns and asks that broker instead, which is no fault.
    private static bool IsBootstrapHandoverRetry(LogMessage message) =>
        message.Facility == "GETPID"
        && message.Message.Contains("Broker handle destroyed without termination", StringComparison.Ordinal)
        && message.Message.EndsWith("retrying", StringComparison.Ordinal);
}
