using System.Net;
using System.Text.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Producer.Apis;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static FoodOrdering.Tests.Support.OrderRequests;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// Each client holds at most its share of the remembered <c>Idempotency-Key</c>s, in memory and in Redis, so a client
/// that fills its share is refused alone and told truly when it has room again.
/// </summary>
public sealed class PerClientIdempotencyKeysTests
{
    private const int Share = 3;

    [Fact]
    public async Task OneClientHoldingItsShareOfKeysInMemoryLeavesAnotherClientsKeyedOrderAlone()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            // Room for one more than the filler's share: before shares, the filler took it and every other key got 503.
            ["OrderApi:RememberedKeys"] = $"{Share + 1}",
            ["OrderApi:RememberedKeysPerClient"] = $"{Share}",
        }, time);
        using var filler = LoopbackClient.From("127.0.0.2", producer.BaseAddress);
        using var other = LoopbackClient.From("127.0.0.3", producer.BaseAddress);
        for (var i = 0; i < Share; i++)
        {
            using var placed = await PostKeyed(filler, $"k-filler-{i}");
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        }

        using var overShare = await PostKeyed(filler, "k-filler-more");
        using var fillersRetry = await PostKeyed(filler, "k-filler-0");
        using var othersOrder = await PostKeyed(other, "k-other-0");
        time.Advance(TimeSpan.FromHours(24));
        using var afterItsFirstKeyExpired = await PostKeyed(filler, "k-filler-more");

        Assert.Equal(HttpStatusCode.TooManyRequests, overShare.StatusCode);
        // Nothing of this client's is forgotten before its first key, 24 h after its order.
        Assert.Equal(TimeSpan.FromHours(24), overShare.Headers.RetryAfter!.Delta);
        using var problem = JsonDocument.Parse(await overShare.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Created, fillersRetry.StatusCode);
        Assert.True(fillersRetry.Headers.Contains(OrdersApi.ReplayedHeader));
        Assert.Equal(HttpStatusCode.Created, othersOrder.StatusCode);
        Assert.Equal(HttpStatusCode.Created, afterItsFirstKeyExpired.StatusCode);
        Assert.Equal(Share + 2, Received(kafka).Count);
    }

    [Fact]
    public async Task AKeyIsAnsweredFromAnyAddressSoARetryFromAClientWhoseShareIsFullStillFindsItsOrder()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["OrderApi:RememberedKeysPerClient"] = "1" });
        using var home = LoopbackClient.From("127.0.0.2", producer.BaseAddress);
        using var mobile = LoopbackClient.From("127.0.0.3", producer.BaseAddress);
        using var placedAtHome = await PostKeyed(home, "k-travelling");
        using var mobilesOwn = await PostKeyed(mobile, "k-mobile");

        using var retriedOnMobile = await PostKeyed(mobile, "k-travelling");

        Assert.Equal(HttpStatusCode.Created, retriedOnMobile.StatusCode);
        Assert.Equal(await OrderId(placedAtHome), await OrderId(retriedOnMobile));
    }

    [RedisFact]
    public async Task OneClientHoldingItsShareOfKeysInRedisAcrossReplicasLeavesAnotherClientsKeyedOrderAlone()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Redis}"] = redis.ConnectionString,
            ["OrderApi:RememberedKeysPerClient"] = $"{Share}",
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        };
        await using var a = await ProducerApp.StartAsync(kafka.BootstrapServers, settings);
        await using var b = await ProducerApp.StartAsync(kafka.BootstrapServers, settings);
        for (var i = 0; i < Share; i++)
        {
            using var placed = await PostKeyed((i % 2 == 0 ? a : b).Client, $"k-filler-{i}", forwardedFor: "203.0.113.10");
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        }

        using var overShareOnA = await PostKeyed(a.Client, "k-filler-more", forwardedFor: "203.0.113.10");
        using var overShareOnB = await PostKeyed(b.Client, "k-filler-more", forwardedFor: "203.0.113.10");
        using var fillersRetry = await PostKeyed(b.Client, "k-filler-0", forwardedFor: "203.0.113.10");
        using var othersOrder = await PostKeyed(a.Client, "k-other-0", forwardedFor: "198.51.100.20");
        // Someone else sending the filler's key gets the filler's order, and takes nothing from its own share.
        using var othersUseOfFillersKey = await PostKeyed(b.Client, "k-filler-1", forwardedFor: "198.51.100.20");
        using var othersSecond = await PostKeyed(b.Client, "k-other-1", forwardedFor: "198.51.100.20");
        using var othersThird = await PostKeyed(a.Client, "k-other-2", forwardedFor: "198.51.100.20");

        Assert.All([overShareOnA, overShareOnB], refused =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        });
        Assert.Equal(HttpStatusCode.Created, fillersRetry.StatusCode);
        Assert.All([othersOrder, othersUseOfFillersKey, othersSecond, othersThird], placed => Assert.Equal(HttpStatusCode.Created, placed.StatusCode));
        Assert.Equal(Share + 3, Received(kafka).Count);
    }

    private static Task<HttpResponseMessage> PostKeyed(HttpClient client, string key, string? forwardedFor = null) =>
        client.SendAsync(OrderRequest(ValidOrder, key, forwardedFor));
}
