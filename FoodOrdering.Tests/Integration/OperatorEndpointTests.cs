using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Producer.Apis;
using FoodOrdering.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace FoodOrdering.Tests.Integration;

/// <summary>The generator's controls outside Development: the operator key, and a rate limit.</summary>
public sealed class OperatorEndpointTests
{
    private const string OperatorKey = "test-operator-key-0123456789";

    // As the dashboard commands send it (FoodOrdering.AppHost/ProducerResourceExtensions.cs).
    private const string ApiKeyHeader = "X-Api-Key";

    public static TheoryData<string> Operations() => ["/generator/start", "/generator/stop", "/generator/burst?count=5"];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task WithoutTheKeyOrWithAWrongOneAnOperationGets401AndChangesNothing(string operation)
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["Operator:ApiKey"] = OperatorKey }, environment: "Production");

        using var anonymous = await producer.Client.PostAsync(operation, null);
        using var wrongKey = await Send(producer, operation, OperatorKey + "x");
        using var emptyKey = await Send(producer, operation, "");

        Assert.All([anonymous, wrongKey, emptyKey], response =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        });
        Assert.False((await producer.GeneratorStatusAsync()).Running);
        Assert.Empty(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived));
    }

    [Fact]
    public async Task WithTheKeyTheOperationsWork()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["Operator:ApiKey"] = OperatorKey }, environment: "Production");

        using var start = await Send(producer, "/generator/start", OperatorKey);
        using var stop = await Send(producer, "/generator/stop", OperatorKey);
        using var burst = await Send(producer, "/generator/burst?count=5", OperatorKey);

        Assert.True((await start.Content.ReadFromJsonAsync<GeneratorStatus>())!.Running);
        Assert.False((await stop.Content.ReadFromJsonAsync<GeneratorStatus>())!.Running);
        Assert.Equal(new BurstResult(5, 5, 0), await burst.Content.ReadFromJsonAsync<BurstResult>());
    }

    [Fact]
    public async Task TheOperatorKeyNeedsNoDataProtectionKeyRing()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["Operator:ApiKey"] = OperatorKey }, environment: "Production");

        using var stop = await Send(producer, "/generator/stop", OperatorKey);

        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Null(producer.Services.GetService<IDataProtectionProvider>());
    }

    [Fact]
    public async Task OutsideDevelopmentWithNoKeyConfiguredTheOperationsAreClosedToEveryone()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, environment: "Production");

        using var anonymous = await producer.Client.PostAsync("/generator/start", null);
        using var anyKey = await Send(producer, "/generator/start", OperatorKey);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anyKey.StatusCode);
        Assert.False((await producer.GeneratorStatusAsync()).Running);
    }

    [Fact]
    public async Task OperatorRequestsOverTheRateGet429WithAProblemAndRetryAfterWrongKeysIncluded()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["Operator:ApiKey"] = OperatorKey,
            ["Operator:RequestsPerMinute"] = "3",
        }, environment: "Production");

        var guesses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            guesses.Add(await Send(producer, "/generator/stop", $"guess-{i}-0123456789abcdef"));
        }

        using var limited = await Send(producer, "/generator/stop", OperatorKey);

        Assert.All(guesses, guess => Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter);
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        guesses.ForEach(guess => guess.Dispose());
    }

    private static Task<HttpResponseMessage> Send(ProducerApp producer, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add(ApiKeyHeader, key);
        return producer.Client.SendAsync(request);
    }
}
