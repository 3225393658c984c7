using Confluent.Kafka;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Tests.Unit;

public sealed class KafkaClientLogLevelTests
{
    [Fact]
    public void AProducerIdRequestRetriedAsTheBootstrapConnectionIsReplacedIsInformation()
    {
        var handover = new LogMessage("rdkafka#producer-1", SyslogLevel.Warning, "GETPID",
            "[thrd:main]: Failed to acquire idempotence PID from broker localhost:9092/bootstrap: Local: Broker handle destroyed without termination: retrying");

        Assert.Equal(LogLevel.Information, KafkaClientLogLevel.Of(handover));
    }

    [Theory]
    [InlineData("GETPID", "[thrd:main]: Failed to acquire idempotence PID from broker localhost:9092/1: Broker: Cluster authorization failed: retrying")]
    [InlineData("FAIL", "localhost:9092/bootstrap: Connect to ipv4#127.0.0.1:9092 failed: Connection refused")]
    public void EveryOtherWarningStaysAWarning(string facility, string text) =>
        Assert.Equal(LogLevel.Warning, KafkaClientLogLevel.Of(new LogMessage("rdkafka#producer-1", SyslogLevel.Warning, facility, text)));
}
