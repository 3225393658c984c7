using System.Net;
using System.Net.Http.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration.Operations;

/// <summary>
/// The console's answer to a request it cannot serve: problem details naming the field. The requests only read, so
/// every case asks the one console of <see cref="Console"/>.
/// </summary>
public sealed class ConsoleRequestErrorsTests(ConsoleRequestErrorsTests.Console console) : IClassFixture<ConsoleRequestErrorsTests.Console>
{
    [Theory]
    [InlineData("/api/topics/no.such.topic", HttpStatusCode.NotFound, null)]
    [InlineData("/api/topics/no.such.topic/records", HttpStatusCode.NotFound, null)]
    [InlineData("/api/topics/orders.received/records?from=yesterday", HttpStatusCode.BadRequest, "from")]
    [InlineData("/api/topics/orders.received/records?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/topics/orders.received/records?limit=501", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/topics/orders.received/records?partition=7", HttpStatusCode.BadRequest, "partition")]
    [InlineData("/api/topics/orders.received/records?cursor=0:x", HttpStatusCode.BadRequest, "cursor")]
    [InlineData("/api/orders/not-an-order/trail", HttpStatusCode.BadRequest, "id")]
    [InlineData("/api/topics/orders.received/records/0/0", HttpStatusCode.NotFound, null)]
    public async Task AnUnknownTopicIs404AndAMalformedRequest400NamingTheField(string path, HttpStatusCode status, string? field)
    {
        using var response = await console.App.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemWithErrors>();
            Assert.Contains(field, problem!.Errors.Keys);
        }
    }

    /// <summary>A console on an empty embedded broker, once it has read every topic.</summary>
    public sealed class Console : IAsyncLifetime
    {
        private EmbeddedKafkaCluster? _kafka;

        internal OperationsApp App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
            App = await OperationsApp.StartAsync(_kafka.BootstrapServers);
            await ConsoleTopicsTests.WaitSettledAsync(App, Topics.OrdersReceived, 0);
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            _kafka?.Dispose();
        }
    }

    private sealed record ProblemWithErrors(Dictionary<string, string[]> Errors);
}
