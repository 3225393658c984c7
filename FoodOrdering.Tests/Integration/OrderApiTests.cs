using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Producer.Apis;
using FoodOrdering.Tests.Support;
using static FoodOrdering.Tests.Support.OrderRequests;
using OpenTelemetry;

namespace FoodOrdering.Tests.Integration;

public sealed class OrderApiTests
{
    [Fact]
    public async Task TheMenuListsItemsCategoriesPricesAndCurrency()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);

        using var menu = JsonDocument.Parse(await producer.Client.GetStringAsync("/menu"));

        Assert.Equal("USD", menu.RootElement.GetProperty("currency").GetString());
        Assert.Equal(Menu.Items.Count, menu.RootElement.GetProperty("items").GetArrayLength());
        Assert.Contains("Pizza", menu.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        var margherita = menu.RootElement.GetProperty("items").EnumerateArray().Single(item => item.GetProperty("id").GetString() == "margherita");
        Assert.Equal(11.50m, margherita.GetProperty("unitPrice").GetDecimal());
        Assert.Equal("""{"deliveryFee":"2.50","taxRate":"0.08"}""", menu.RootElement.GetProperty("pricing").GetRawText());
    }

    [Fact]
    public async Task TheMenuStatesTheConfiguredFeeAtTwoDecimals()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["Pricing:DeliveryFee"] = "3", ["Pricing:TaxRate"] = "0.2" });

        using var menu = JsonDocument.Parse(await producer.Client.GetStringAsync("/menu"));

        Assert.Equal("""{"deliveryFee":"3.00","taxRate":"0.2"}""", menu.RootElement.GetProperty("pricing").GetRawText());
    }

    [Fact]
    public async Task AnAcceptedOrderIsOnTheLogBeforeTheClientGets201()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);

        using var response = await Post(producer, ValidOrder);
        var accepted = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.OrderPlaced);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/orders/{accepted!.OrderId}", response.Headers.Location?.OriginalString);
        var onTheLog = Assert.Single(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived, ContractsJsonContext.Default.OrderPlaced));
        Assert.Equal(accepted.OrderId, onTheLog.OrderId);
        Assert.Equal([new OrderLine("margherita", 2), new OrderLine("cola", 1)], onTheLog.Lines);
        Assert.Equal(("Ada Lovelace", "ada@example.com"), (onTheLog.Customer.Name, onTheLog.Customer.Email));
        Assert.Equal("12 Analytical St, London", onTheLog.DeliveryAddress);
        Assert.Equal(TimeSpan.Zero, onTheLog.PlacedAt.Offset);
        using var readBack = JsonDocument.Parse(await producer.Client.GetStringAsync(response.Headers.Location));
        Assert.Equal(accepted.OrderId, readBack.RootElement.GetProperty("orderId").GetGuid());
        Assert.Equal("received", readBack.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnyReplicaTellsWhereAnOrderIsFromReceivedToEmailedEvenOneThatStartedLater()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        await using var first = await ProducerApp.StartAsync(pipeline.Kafka.BootstrapServers);
        await using var second = await ProducerApp.StartAsync(pipeline.Kafka.BootstrapServers);

        using var response = await Post(first, ValidOrder);
        var orderId = (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.OrderPlaced))!.OrderId;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // The replica that did not take the order learns its outcome from the topics.
        var status = await WaitForStatusAsync(second, orderId, root => root.GetProperty("email").ValueKind == JsonValueKind.Object);
        var confirmed = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed));
        Assert.Equal("confirmed", status.GetProperty("status").GetString());
        Assert.Equal(confirmed.Total, status.GetProperty("price").GetProperty("total").GetDecimal());
        Assert.Equal("sent", status.GetProperty("email").GetProperty("status").GetString());
        Assert.False(status.TryGetProperty("customer", out _), "the status carries no customer details");

        // A replica started afterwards reads the outcome topics back as far as it can remember.
        await using var third = await ProducerApp.StartAsync(pipeline.Kafka.BootstrapServers);
        var late = await WaitForStatusAsync(third, orderId, root => root.GetProperty("email").ValueKind == JsonValueKind.Object);
        Assert.Equal("confirmed", late.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TrackingKeepsNoOutcomeLargerThanAnyRealOneAndSkipsUnreadableOnes()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);
        using var writer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, MessageMaxBytes = 2 * 1024 * 1024 }).Build();
        var order = InProcessPipeline.NewOrder();
        PricedLine Line(string name) => new("cola", name, 1, 2.40m, 2.40m);
        var huge = new OrderConfirmed(Guid.NewGuid(), order.PlacedAt, order.PlacedAt, order.Customer, [Line(new string('x', 500_000))], 2.40m, 2.50m, 0.49m, 5.39m, "USD");
        var real = new OrderConfirmed(order.OrderId, order.PlacedAt, order.PlacedAt, order.Customer, [Line("Cola")], 2.40m, 2.50m, 0.49m, 5.39m, "USD");

        await writer.PublishAsync(Topics.OrdersConfirmed, huge.OrderId.ToString(), huge, ContractsJsonContext.Default.OrderConfirmed);
        await writer.ProduceAsync(Topics.OrdersConfirmed, new Message<string, byte[]> { Key = "junk", Value = [0xFF, 0x7B] });
        await writer.PublishAsync(Topics.OrdersConfirmed, real.OrderId.ToString(), real, ContractsJsonContext.Default.OrderConfirmed);

        // The real one, written last, is there: the two before it were read and left out.
        var status = await WaitForStatusAsync(producer, real.OrderId, root => root.GetProperty("status").GetString() == "confirmed");
        Assert.Equal(5.39m, status.GetProperty("price").GetProperty("total").GetDecimal());
        using var missing = await producer.Client.GetAsync($"/orders/{huge.OrderId}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<JsonElement> WaitForStatusAsync(ProducerApp producer, Guid orderId, Func<JsonElement, bool> done)
    {
        JsonElement last = default;
        var lastError = "";
        await Eventually.WaitUntilAsync(() =>
        {
            using var response = producer.Client.GetAsync($"/orders/{orderId}").GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                lastError = $"{(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}";
                return false;
            }

            last = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Clone();
            return done(last);
        }, TestTimeouts.PipelineStep, () => $"order {orderId}: {last} {lastError}");
        return last;
    }

    [Fact]
    public async Task ARetryWithTheSameIdempotencyKeyReturnsTheSameOrderAndPublishesNothingNew()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);

        using var first = await Post(producer, ValidOrder, idempotencyKey: "retry-me");
        using var retry = await Post(producer, ValidOrder, idempotencyKey: "retry-me");
        using var otherBody = await Post(producer, ValidOrder.Replace("\"quantity\":2", "\"quantity\":3"), idempotencyKey: "retry-me");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(OrderId(await first.Content.ReadAsStringAsync()), OrderId(await retry.Content.ReadAsStringAsync()));
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues(OrdersApi.ReplayedHeader)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Single(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived));
    }

    [Fact]
    public async Task WhenKafkaCannotTakeTheOrderTheClientGets503WithRetryAfter()
    {
        await using var producer = await ProducerApp.StartAsync("127.0.0.1:1", new()
        {
            ["Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs"] = "1500",
        });

        using var response = await Post(producer, ValidOrder, idempotencyKey: "k-503");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OversizedBodiesGet413AndOtherMediaTypes415AndNothingIsPublished()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);
        var huge = ValidOrder.Replace("12 Analytical St, London", new string('x', 20_000));

        using var tooLarge = await Post(producer, huge);
        using var notJson = await producer.Client.PostAsync("/orders", new StringContent(ValidOrder, Encoding.UTF8, "text/plain"));
        using var invalid = await Post(producer, ValidOrder.Replace("ada@example.com", "ada"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Empty(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived));
    }

    [Fact]
    public async Task AClientOverItsRateGets429WithRetryAfterAndThoseOrdersAreNotPublished()
    {
        const int perSecond = 3;
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["OrderApi:OrdersPerSecondPerClient"] = perSecond.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var started = System.Diagnostics.Stopwatch.StartNew();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++)
        {
            responses.Add(await Post(producer, ValidOrder));
        }

        var elapsed = started.Elapsed;
        var created = responses.Count(response => response.StatusCode == HttpStatusCode.Created);
        var limited = responses.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(30, created + limited.Count);
        // The bucket starts full and refills perSecond tokens each second.
        Assert.InRange(created, perSecond, perSecond * (1 + (int)Math.Ceiling(elapsed.TotalSeconds)));
        Assert.All(limited, response => Assert.True(response.Headers.RetryAfter is not null, "429 without Retry-After"));
        Assert.Equal(created, TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived).Count);
        responses.ForEach(response => response.Dispose());
    }

    [Fact]
    public async Task AClientsBaggageStaysAtTheDoorWhileItsTraceGoesOnIntoTheOrderMessage()
    {
        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);
        // A client that sends these headers as they are, rather than its own trace's: no propagation, and no
        // instrumentation (the Producer's tracing, in this process, would otherwise instrument this client too).
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() })
        {
            BaseAddress = producer.BaseAddress,
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent(ValidOrder, Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        request.Headers.Add("baggage", "tenant=someone-else,user.role=admin");

        HttpResponseMessage response;
        using (SuppressInstrumentationScope.Begin())
        {
            response = await client.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        response.Dispose();
        var headers = Assert.Single(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived)).Message.Headers;
        Assert.True(headers.TryGetLastBytes("traceparent", out var traceparent));
        Assert.Equal(TraceId, Encoding.UTF8.GetString(traceparent).Split('-')[1]);
        Assert.DoesNotContain(headers, header => header.Key.Equals("baggage", StringComparison.OrdinalIgnoreCase));
    }

    private static string OrderId(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("orderId").GetString()!;
    }
}
