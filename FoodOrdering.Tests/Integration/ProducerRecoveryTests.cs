using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// The plain producer every service registers (<c>AddKafkaProducer</c>) against the embedded broker: replaced
/// after a fatal error, and readiness that follows its publishes.
/// </summary>
public sealed class ProducerRecoveryTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Call;

    [Fact]
    public async Task APublishAfterAFatalErrorGoesThroughOnAFreshProducer()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var host = Host(kafka);
        var producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();
        await Publish(producer, "before");
        var failedName = producer.Name;

        // An idempotent producer whose sequence the broker refuses cannot go on: librdkafka raises a fatal error.
        kafka.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.OutOfOrderSequenceNumber);
        await Assert.ThrowsAnyAsync<KafkaException>(() => Publish(producer, "refused"));
        await Publish(producer, "after");

        Assert.NotEqual(failedName, producer.Name);
        Assert.Equal(["before", "after"], TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived).Select(record => record.Message.Key));
        Assert.Equal(HealthStatus.Healthy, (await Readiness(host)).Status);
    }

    [Fact]
    public async Task ReadinessIsUnhealthyWhilePublishesFailThoughTheBrokerAnswersAndHealthyAfterASuccess()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var host = Host(kafka);
        var producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();
        await Publish(producer, "first");
        Assert.Equal(HealthStatus.Healthy, (await Readiness(host)).Status);

        // The broker answers (metadata, connections) but refuses the records.
        kafka.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.PolicyViolation, ErrorCode.PolicyViolation);
        await Assert.ThrowsAnyAsync<KafkaException>(() => Publish(producer, "refused-1"));
        await Assert.ThrowsAnyAsync<KafkaException>(() => Publish(producer, "refused-2"));
        var failing = await Readiness(host);
        await Publish(producer, "recovered");
        var recovered = await Readiness(host);

        Assert.Equal(HealthStatus.Unhealthy, failing.Status);
        Assert.Contains("PolicyViolation", failing.Entries["kafka-producer-kafka"].Description);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
    }

    private static IHost Host(EmbeddedKafkaCluster kafka)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "recovery-test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = kafka.BootstrapServers,
            ["Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs"] = "5000",
        });
        builder.Services.AddLogging();
        builder.AddKafkaProducer<string, byte[]>(ConnectionNames.Kafka);
        return builder.Build();
    }

    private static async Task Publish(IProducer<string, byte[]> producer, string key)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = key, Value = [1] }, timeout.Token);
    }

    private static Task<HealthReport> Readiness(IHost host) => host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
}
