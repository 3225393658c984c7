using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Producer.Apis;
using FoodOrdering.Producer.Orders;
using FoodOrdering.Tests.Support;
using static FoodOrdering.Tests.Support.OrderRequests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// Several Producer replicas sharing their <c>Idempotency-Key</c>s in a real Redis: one key, one order, whichever
/// replica a request or its retry reaches.
/// </summary>
public sealed class SharedIdempotencyKeysTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [RedisFact]
    public async Task TwoReplicasGivenTheSameKeyAtOncePublishOneOrderAndBothAnswerIt()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var redis = await RedisServer.StartAsync();
        await using var a = await ProducerApp.StartAsync(kafka.BootstrapServers, Shared(redis));
        await using var b = await ProducerApp.StartAsync(kafka.BootstrapServers, Shared(redis));
        await WarmUpAsync(a, b);
        var before = Received(kafka).Count;

        var keys = Enumerable.Range(1, 10).Select(i => $"k-shared-{i}").ToList();
        var answers = await Task.WhenAll(keys.Select(async key =>
        {
            var both = await Task.WhenAll(Post(a, ValidOrder, key), Post(b, ValidOrder, key));
            return (key, both);
        }));

        foreach (var (key, both) in answers)
        {
            Assert.All(both, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
            Assert.Equal(await OrderId(both[0]), await OrderId(both[1]));
            Assert.Single(both, response => response.Headers.Contains(OrdersApi.ReplayedHeader));
        }

        var published = Received(kafka).Skip(before).ToList();
        Assert.Equal(keys.Count, published.Count);
        Assert.Equal(keys.Count, published.Select(order => order.OrderId).Distinct().Count());
    }

    [RedisFact]
    public async Task AKeyWhosePublishWentUnconfirmedOnOneReplicaIsPublishedAsThatSameOrderByAnother()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var redis = await RedisServer.StartAsync();
        var settings = Shared(redis);
        settings["Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs"] = "1000";
        await using var a = await ProducerApp.StartAsync(kafka.BootstrapServers, settings);
        await using var b = await ProducerApp.StartAsync(kafka.BootstrapServers, Shared(redis));
        await WarmUpAsync(a, b);
        var before = Received(kafka).Count;

        // The broker writes the order at once but answers after 3 s; replica A gives up after 1 s.
        kafka.SetBrokerRoundTripTime(1, TimeSpan.FromSeconds(3));
        using var unconfirmed = await Post(a, ValidOrder, "k-moved");
        kafka.SetBrokerRoundTripTime(1, TimeSpan.Zero);
        await Eventually.WaitUntilAsync(() => Received(kafka).Count == before + 1, Timeout,
            () => "the unconfirmed order never reached the log, so this test did not test the duplicate case");
        var written = Received(kafka)[^1];

        // The client's retry reaches replica B.
        var retried = await RetryUntilCreatedAsync(b, "k-moved");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unconfirmed.StatusCode);
        Assert.Equal(written.OrderId, retried.OrderId);
        Assert.All(Received(kafka).Skip(before), order => Assert.Equal(written.OrderId, order.OrderId));
    }

    [RedisFact]
    public async Task WithRedisUnreachableAKeyedOrderGets503SayingWhyAndNothingIsPublished()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Redis}"] = $"{redis.ConnectionString},connectTimeout=1000,asyncTimeout=1000",
        };
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, settings);
        using (var warmUp = await Post(producer, ValidOrder, "k-before"))
        {
            Assert.Equal(HttpStatusCode.Created, warmUp.StatusCode);
        }

        redis.Dispose();
        using var refused = await Post(producer, ValidOrder, "k-during");
        using var unkeyed = await Post(producer, ValidOrder, idempotencyKey: null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(
            "The order was not placed: the store the replicas share Idempotency-Keys in (Redis) cannot be reached, and an order is never published without its key held there. Retry later with the same key.",
            problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, unkeyed.StatusCode);
        Assert.Equal(2, Received(kafka).Count);
    }

    [Fact]
    public async Task AProducerStartedWhileRedisIsDownRefusesKeyedOrdersWith503AndTakesUnkeyedOnes()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            // Nothing listens on port 1.
            [$"ConnectionStrings:{ConnectionNames.Redis}"] = "127.0.0.1:1,connectTimeout=1000,asyncTimeout=1000",
        });

        using var refused = await Post(producer, ValidOrder, "k-no-redis");
        using var unkeyed = await Post(producer, ValidOrder, idempotencyKey: null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("(Redis) cannot be reached", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, unkeyed.StatusCode);
        Assert.Single(Received(kafka));
        using var health = await producer.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [RedisFact]
    public async Task AClaimWhoseHolderVanishedIsTakenOverAfterItsLeaseAndItsOrderStaysPinned()
    {
        using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var options = Options.Create(new OrderApiOptions { ClaimLease = TimeSpan.FromSeconds(1) });
        var crashed = new RedisIdempotencyKeys(connection, options, NullLogger<RedisIdempotencyKeys>.Instance);
        var other = new RedisIdempotencyKeys(connection, options, NullLogger<RedisIdempotencyKeys>.Instance);
        byte[] fingerprint = [1, 2, 3];

        var first = await crashed.ClaimAsync("127.0.0.1", "k-crash", fingerprint, NewOrder);
        // The holder never settles, as if its process died mid-publish; the next request waits out the lease.
        var takeover = await other.ClaimAsync("127.0.0.1", "k-crash", fingerprint, NewOrder);
        var settled = await other.SettleAsync(takeover.Publish!, new Placement.NotPlaced());
        var again = await other.ClaimAsync("127.0.0.1", "k-crash", fingerprint, NewOrder);

        Assert.NotNull(first.Publish);
        Assert.Equal(first.Publish.Order.OrderId, takeover.Publish!.Order.OrderId);
        // The vanished holder's publish may have landed, so "not written this time" does not free the key.
        Assert.Equal(first.Publish.Order.OrderId, Assert.IsType<Placement.MaybePlaced>(settled).Order.OrderId);
        Assert.Equal(first.Publish.Order.OrderId, again.Publish!.Order.OrderId);
    }

    private static OrderPlaced NewOrder() =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, new Customer("cust-1", "Ada", "ada@example.com"), [new OrderLine("cola", 1)], "12 Analytical St");

    private static Dictionary<string, string?> Shared(RedisServer redis) => new()
    {
        [$"ConnectionStrings:{ConnectionNames.Redis}"] = redis.ConnectionString,
    };

    private static async Task WarmUpAsync(params ProducerApp[] replicas)
    {
        foreach (var replica in replicas)
        {
            using var warmUp = await Post(replica, ValidOrder, idempotencyKey: null);
            Assert.Equal(HttpStatusCode.Created, warmUp.StatusCode);
        }
    }
}
