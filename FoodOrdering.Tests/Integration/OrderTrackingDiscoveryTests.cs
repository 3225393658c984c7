using System.Net;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// A deployment may start the Producer before the topic step has made the outcome topics: tracking must pick them
/// up when they appear, not only those it found at start.
/// </summary>
public sealed class OrderTrackingDiscoveryTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task AProducerStartedBeforeTheOutcomeTopicsExistTracksOrdersOnceTheyAreCreated()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, [Topics.OrdersReceived]);
        await using var producer = await ProducerApp.StartAsync(
            kafka.BootstrapServers,
            new() { ["OrderTracking:PartitionDiscoveryInterval"] = "00:00:00.500" },
            services: services => services.AddLogging(logging => logging.AddFakeLogging()));
        // Tracking has looked and found nothing: the topics below are created after it started.
        await Eventually.WaitUntilAsync(
            () => producer.Services.GetFakeLogCollector().GetSnapshot().Any(log => log.Id.Id == 6204), Timeout,
            () => "order tracking never reported that it found no outcome topic");

        foreach (var topic in new[] { Topics.OrdersConfirmed, Topics.OrdersRejected, Topics.EmailsSent, Topics.EmailsFailed })
        {
            kafka.CreateTopic(topic, 3);
        }

        var order = InProcessPipeline.NewConfirmedOrder("ada@example.com");
        using var writer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        await writer.PublishAsync(Topics.OrdersConfirmed, order.OrderId.ToString(), order, ContractsJsonContext.Default.OrderConfirmed);

        var status = "";
        await Eventually.WaitUntilAsync(() =>
        {
            using var response = producer.Client.GetAsync($"/orders/{order.OrderId}").GetAwaiter().GetResult();
            status = response.StatusCode == HttpStatusCode.OK
                ? JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("status").GetString() ?? ""
                : $"HTTP {(int)response.StatusCode}";
            return status == "confirmed";
        }, Timeout, () => $"order {order.OrderId} is {status}, not confirmed");
    }
}
