using System.Net;
using System.Net.Http.Json;
using System.Text;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Producer.Apis;

namespace FoodOrdering.Tests.Support;

/// <summary>Orders as a client sends them to a Producer's API, and what lands on <c>orders.received</c>.</summary>
internal static class OrderRequests
{
    public const string ValidOrder = """
        {"customer":{"name":"Ada Lovelace","email":"ada@example.com"},"deliveryAddress":"12 Analytical St, London",
         "lines":[{"menuItemId":"margherita","quantity":2},{"menuItemId":"cola","quantity":1}]}
        """;

    private static readonly TimeSpan RetryTimeout = TestTimeouts.PipelineStep;

    public static Task<HttpResponseMessage> Post(ProducerApp producer, string json, string? idempotencyKey = null) =>
        producer.Client.SendAsync(OrderRequest(json, idempotencyKey));

    /// <param name="forwardedFor">The client a proxy in front of the Producer says it forwards for.</param>
    public static HttpRequestMessage OrderRequest(string json, string? idempotencyKey = null, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(OrdersApi.IdempotencyKeyHeader, idempotencyKey);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return request;
    }

    /// <summary>Retries <see cref="ValidOrder"/> with the key, as a client told 503 would, until it is created.</summary>
    public static async Task<OrderPlaced> RetryUntilCreatedAsync(ProducerApp producer, string idempotencyKey)
    {
        using var deadline = new CancellationTokenSource(RetryTimeout);
        while (true)
        {
            using var response = await Post(producer, ValidOrder, idempotencyKey);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.OrderPlaced))!;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.False(deadline.IsCancellationRequested, "the retries were never accepted");
        }
    }

    public static async Task<Guid> OrderId(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.OrderPlaced))!.OrderId;

    public static IReadOnlyList<OrderPlaced> Received(EmbeddedKafkaCluster kafka) =>
        TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived, ContractsJsonContext.Default.OrderPlaced);
}
