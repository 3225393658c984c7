using System.Net;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static FoodOrdering.Tests.Support.OrderRequests;

namespace FoodOrdering.Tests.Integration;

/// <summary>The order rate and the operator-key limit are kept per client, also behind a proxy, and cannot be dodged.</summary>
public sealed class PerClientLimitsTests
{
    private const string OperatorKey = "test-operator-key-0123456789";
    private const string ForwardedFor = "X-Forwarded-For";
    private const int Attempts = 40;

    // FoodOrdering.ServiceDefaults/Clients/UnknownProxyWarning.cs
    private const int UnknownProxyEventId = 7100;

    [Fact]
    public async Task OneClientBehindAKnownProxyUsingUpItsOrderRateLeavesAnotherClientsOrderAlone()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["OrderApi:OrdersPerSecondPerClient"] = "2",
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        });

        var first = await PostUntilLimitedAsync(producer.Client, "203.0.113.10");
        using var second = await producer.Client.SendAsync(Order("203.0.113.20"));

        Assert.Equal(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
    }

    [Fact]
    public async Task TwoNetworksOfAKnownProxyAreTrustedAndAClientBehindTwoProxiesIsTheAddressTheFarOneSaw()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["OrderApi:OrdersPerSecondPerClient"] = "2",
            ["ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
            ["ForwardedHeaders:KnownNetworks:1"] = "10.0.0.0/8",
            ["ForwardedHeaders:ForwardLimit"] = "2",
        });

        var first = await PostUntilLimitedAsync(producer.Client, "198.51.100.7, 10.1.2.3");
        using var sameClientOtherEdge = await producer.Client.SendAsync(Order("198.51.100.7, 10.9.9.9"));
        using var otherClient = await producer.Client.SendAsync(Order("198.51.100.8, 10.1.2.3"));

        Assert.Equal(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.TooManyRequests, sameClientOtherEdge.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherClient.StatusCode);
    }

    // FORWARDEDHEADERS_ENABLED is ASPNETCORE_FORWARDEDHEADERS_ENABLED, which alone would believe any peer; so would
    // ASP.NET Core's middleware given no known proxy at all.
    [Theory]
    [InlineData(null, null)]
    [InlineData(null, "true")]
    [InlineData("127.0.0.9", null)]
    [InlineData("127.0.0.9", "true")]
    public async Task AForwardedForHeaderFromAPeerThatIsNoKnownProxyDoesNotMakeItAnotherClient(string? knownProxy, string? forwardedHeadersEnabled)
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        var settings = new Dictionary<string, string?> { ["OrderApi:OrdersPerSecondPerClient"] = "2", ["FORWARDEDHEADERS_ENABLED"] = forwardedHeadersEnabled };
        if (knownProxy is not null)
        {
            settings["ForwardedHeaders:KnownProxies:0"] = knownProxy;
        }

        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, settings);

        var first = await PostUntilLimitedAsync(producer.Client, "203.0.113.10");
        using var spoofed = await producer.Client.SendAsync(Order("203.0.113.20"));

        Assert.Equal(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);
    }

    [Fact]
    public async Task AForwardedForHeaderThatIsNotBelievedIsReportedOnceSoALoadBalancerNobodyNamedIsNoticed()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, services: services => services.AddLogging(logging => logging.AddFakeLogging()));
        using var unforwarded = await producer.Client.GetAsync("/menu");
        var beforeAnyHeader = Warnings(producer);

        for (var i = 0; i < 3; i++)
        {
            using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/menu");
            forwarded.Headers.Add(ForwardedFor, $"203.0.113.{i}");
            using var response = await producer.Client.SendAsync(forwarded);
        }

        Assert.Empty(beforeAnyHeader);
        var warning = Assert.Single(Warnings(producer));
        Assert.Contains("127.0.0.1", warning.Message, StringComparison.Ordinal);
        Assert.Contains("ForwardedHeaders:KnownProxies", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientsReachingTheProducerDirectlyEachHaveTheirOwnRate()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["OrderApi:OrdersPerSecondPerClient"] = "2" });
        using var one = LoopbackClient.From("127.0.0.2", producer.BaseAddress);
        using var other = LoopbackClient.From("127.0.0.3", producer.BaseAddress);

        var first = await PostUntilLimitedAsync(one, forwardedFor: null);
        using var second = await other.SendAsync(Order(forwardedFor: null));

        Assert.Equal(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
    }

    [Fact]
    public async Task ThirtyOneWrongOperatorKeysFromOneClientDoNotLockTheRealKeyOutForAnother()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["Operator:ApiKey"] = OperatorKey,
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        }, environment: "Production");

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 31; i++)
        {
            using var guess = await producer.Client.SendAsync(Operator($"guess-{i}-0123456789abcdef", "203.0.113.66"));
            guesses.Add(guess.StatusCode);
        }

        using var guesserWithTheKey = await producer.Client.SendAsync(Operator(OperatorKey, "203.0.113.66"));
        using var operatorElsewhere = await producer.Client.SendAsync(Operator(OperatorKey, "198.51.100.1"));

        Assert.Equal(HttpStatusCode.TooManyRequests, guesses[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, guesserWithTheKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorElsewhere.StatusCode);
    }

    private static async Task<HttpStatusCode> PostUntilLimitedAsync(HttpClient client, string? forwardedFor)
    {
        for (var i = 0; i < Attempts; i++)
        {
            using var response = await client.SendAsync(Order(forwardedFor));
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return response.StatusCode;
            }
        }

        return HttpStatusCode.Created;
    }

    private static List<FakeLogRecord> Warnings(ProducerApp producer) =>
        [.. producer.Services.GetFakeLogCollector().GetSnapshot().Where(record => record.Id.Id == UnknownProxyEventId)];

    private static HttpRequestMessage Order(string? forwardedFor) => OrderRequest(ValidOrder, forwardedFor: forwardedFor);

    private static HttpRequestMessage Operator(string key, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/generator/stop");
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Add(ForwardedFor, forwardedFor);
        return request;
    }
}
