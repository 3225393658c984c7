using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Producer.Apis;
using FoodOrdering.Tests.Support;
using static FoodOrdering.Tests.Support.OrderRequests;

namespace FoodOrdering.Tests.Integration;

/// <summary>One <c>Idempotency-Key</c>, one order: through unconfirmed publishes, a full key store and unkeyed floods.</summary>
public sealed class OrderIdempotencyTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task ARetryAfterAnUnconfirmedPublishPublishesThatSameOrderAgainAndNeverASecondOne()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs"] = "1000",
        });
        using (var warmUp = await Post(producer, ValidOrder))
        {
            Assert.Equal(HttpStatusCode.Created, warmUp.StatusCode);
        }

        // The broker writes the order at once but answers after 3 s; the Producer gives up after 1 s.
        kafka.SetBrokerRoundTripTime(1, TimeSpan.FromSeconds(3));
        using var unconfirmed = await Post(producer, ValidOrder, idempotencyKey: "k-unconfirmed");
        kafka.SetBrokerRoundTripTime(1, TimeSpan.Zero);
        await Eventually.WaitUntilAsync(() => Received(kafka).Count == 2, Timeout,
            () => "the unconfirmed order never reached the log, so this test did not test the duplicate case");
        var written = Received(kafka)[^1];

        // The client retries as the 503 says, with the same key, until it gets an answer.
        var retried = await RetryUntilCreatedAsync(producer, "k-unconfirmed");

        Assert.Equal(2, Received(kafka).Select(order => order.OrderId).Distinct().Count());
        Assert.Equal(written.OrderId, retried.OrderId);
        var onTheLog = Received(kafka).Where(order => order.OrderId == written.OrderId).ToList();
        Assert.Equal(2, onTheLog.Count);
        Assert.All(onTheLog, order => Assert.Equal(Serialized(retried), Serialized(order)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unconfirmed.StatusCode);
        using var problem = JsonDocument.Parse(await unconfirmed.Content.ReadAsStringAsync());
        Assert.Equal(written.OrderId, problem.RootElement.GetProperty("orderId").GetGuid());
        Assert.Equal(
            $"The order may have been placed as order {written.OrderId}. Retry with the same Idempotency-Key and it will be published as that same order {written.OrderId}, never a new one.",
            problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AKeyIsFreeAgainWhenKafkaCertainlyDidNotWriteTheOrder()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);
        using (var warmUp = await Post(producer, ValidOrder))
        {
            Assert.Equal(HttpStatusCode.Created, warmUp.StatusCode);
        }

        kafka.InjectRequestErrors(Embedded.KafkaApiKey.Produce, ErrorCode.PolicyViolation);
        using var refused = await Post(producer, ValidOrder, idempotencyKey: "k-refused");
        using var retry = await Post(producer, ValidOrder, idempotencyKey: "k-refused");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("The order was not placed. Retry later, with the same Idempotency-Key.", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(2, Received(kafka).Count);
    }

    [Fact]
    public async Task AFullKeyStoreRefusesANewKeyWith503AndPublishesNothingForIt()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["OrderApi:RememberedKeys"] = "2",
        });
        using var first = await Post(producer, ValidOrder, idempotencyKey: "k-1");
        using var second = await Post(producer, ValidOrder, idempotencyKey: "k-2");

        using var third = await Post(producer, ValidOrder, idempotencyKey: "k-3");
        using var thirdAgain = await Post(producer, ValidOrder, idempotencyKey: "k-3");
        using var firstAgain = await Post(producer, ValidOrder, idempotencyKey: "k-1");

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created], [first.StatusCode, second.StatusCode]);
        Assert.All([third, thirdAgain], refused =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            // The oldest key expires in 24 h; that is how long it is until there is room.
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        });
        Assert.Equal(HttpStatusCode.Created, firstAgain.StatusCode);
        Assert.Equal(await OrderId(first), await OrderId(firstAgain));
        Assert.Equal(2, Received(kafka).Count);
    }

    [Fact]
    public async Task AFloodOfOrdersWithoutAKeyPushesNoKeyOut()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["OrderApi:RememberedKeys"] = "100",
            ["OrderApi:OrdersPerSecondPerClient"] = "0",
        });
        using var keyed = await Post(producer, ValidOrder, idempotencyKey: "k-kept");

        for (var i = 0; i < 300; i++)
        {
            using var unkeyed = await Post(producer, ValidOrder);
            Assert.Equal(HttpStatusCode.Created, unkeyed.StatusCode);
        }

        using var retry = await Post(producer, ValidOrder, idempotencyKey: "k-kept");

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues(OrdersApi.ReplayedHeader)));
        Assert.Equal(await OrderId(keyed), await OrderId(retry));
        Assert.Equal(301, Received(kafka).Count);
    }

    [Fact]
    public async Task WithoutAKeyAnUnconfirmedOrderIsNamedInThe503()
    {
        await using var producer = await ProducerApp.StartAsync("127.0.0.1:1", new()
        {
            ["Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs"] = "1000",
        });

        using var response = await Post(producer, ValidOrder);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var orderId = problem.RootElement.GetProperty("orderId").GetGuid();
        Assert.Equal(
            $"The order may have been placed as order {orderId}; this service cannot tell. A retry without an Idempotency-Key is a new order; send one to retry safely.",
            problem.RootElement.GetProperty("detail").GetString());
    }

    private static string Serialized(OrderPlaced order) => JsonSerializer.Serialize(order, ContractsJsonContext.Default.OrderPlaced);
}
