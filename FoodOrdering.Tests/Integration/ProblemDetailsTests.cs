using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FoodOrdering.Tests.Integration;

/// <summary>Every 4xx and 5xx from the Producer is an RFC 7807 problem with the request's trace id, and shows no internals.</summary>
public sealed class ProblemDetailsTests
{
    private const string ValidOrder = """
        {"customer":{"name":"Ada Lovelace","email":"ada@example.com"},"deliveryAddress":"12 Analytical St, London",
         "lines":[{"menuItemId":"margherita","quantity":2}]}
        """;

    [Fact]
    public async Task UnknownRoutesUnknownOrdersWrongMethodsAndTooManyRequestsAreProblemsWithATraceId()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["OrderApi:OrdersPerSecondPerClient"] = "1" });

        using var unknownRoute = await producer.Client.GetAsync("/no-such-page");
        using var unknownOrder = await producer.Client.GetAsync($"/orders/{Guid.NewGuid()}");
        using var wrongMethod = await producer.Client.DeleteAsync("/menu");
        using var accepted = await Post(producer);
        using var tooMany = await Post(producer);

        await AssertProblem(unknownRoute, HttpStatusCode.NotFound);
        await AssertProblem(unknownOrder, HttpStatusCode.NotFound);
        await AssertProblem(wrongMethod, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        await AssertProblem(tooMany, HttpStatusCode.TooManyRequests);
        Assert.NotNull(tooMany.Headers.RetryAfter);
    }

    [Fact]
    public async Task AnUnhandledExceptionIsA500ProblemThatShowsNothingOfItAndIsLoggedUnderItsTraceId()
    {
        const string Internals = "connection pool 7 lost its lease for ada@example.com";
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, services: services =>
        {
            services.AddLogging(logging => logging.AddFakeLogging());
            services.AddSingleton(ThrowingProducer.Create(new InvalidOperationException(Internals)));
        });

        using var response = await Post(producer);
        var body = await response.Content.ReadAsStringAsync();

        var traceId = await AssertProblem(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("lease", body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        var logs = producer.Services.GetFakeLogCollector().GetSnapshot();
        var logged = Assert.Single(logs, log => log.Level == LogLevel.Error && log.Message.Contains(traceId, StringComparison.Ordinal));
        Assert.Contains("connection pool 7 lost its lease for a***@example.com", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs, log => log.Message.Contains("ada@example.com", StringComparison.Ordinal) || log.Exception is not null);
    }

    /// <summary>Asserts a problem body with the status and a trace id; returns the trace id's 32 hex digits.</summary>
    private static async Task<string> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        var traceparent = problem.RootElement.GetProperty("traceId").GetString()!;
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", traceparent);
        return traceparent.Split('-')[1];
    }

    private static Task<HttpResponseMessage> Post(ProducerApp producer) =>
        producer.Client.PostAsync("/orders", new StringContent(ValidOrder, Encoding.UTF8, "application/json"));

    /// <summary>A producer whose every publish throws; everything else does nothing.</summary>
    public class ThrowingProducer : DispatchProxy
    {
        private Exception _exception = null!;

        public static IProducer<string, byte[]> Create(Exception exception)
        {
            var producer = Create<IProducer<string, byte[]>, ThrowingProducer>();
            ((ThrowingProducer)(object)producer)._exception = exception;
            return producer;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod switch
        {
            { Name: nameof(IProducer<string, byte[]>.ProduceAsync) } => Task.FromException<DeliveryResult<string, byte[]>>(_exception),
            { ReturnType.IsValueType: true } method when method.ReturnType != typeof(void) => Activator.CreateInstance(method.ReturnType),
            _ => null,
        };
    }
}
