using System.Globalization;
using System.Net;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>The operations console's live analytics against the embedded broker, fed by the real pipeline.</summary>
public sealed class LiveAnalyticsApiTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task TheFiguresAreTheSumOfTheTopicsRecordsCountedOnceAndAreRebuiltFromTheLogAfterARestart()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        var orders = Enumerable.Range(0, 12).Select(i => InProcessPipeline.NewOrder() with
        {
            Lines = [new OrderLine(Menu.Items[i % Menu.Items.Count].Id, 1 + (i % 3)), new OrderLine("cola", 1)],
        }).ToList();
        var discontinued = InProcessPipeline.NewOrder() with { Lines = [new OrderLine("pumpkin-soup", 1)] };

        await pipeline.PublishAsync([.. orders, discontinued]);
        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= orders.Count, Timeout, () => $"{pipeline.Smtp.MessagesReceived} of {orders.Count} emails");
        // The topic as any reader sees it, copies of aborted transactions included: one figure per order line.
        var lines = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersAnalytics, ContractsJsonContext.Default.OrderLineSold);
        var expected = lines.DistinctBy(line => (line.OrderId, line.LineNumber)).Sum(line => line.Revenue);
        // Repeats of lines already counted (as a re-drive makes), then one new order whose arrival says the repeats were read.
        await PublishLinesAsync(pipeline, [.. lines.Take(3), Marker(out var marker)]);
        expected += marker.Revenue;
        var view = await WaitForRevenueAsync(console, expected);

        Assert.Equal(orders.Count + 1, view.GetProperty("orders").GetInt64());
        Assert.Equal(Money(expected / (orders.Count + 1)), view.GetProperty("averageOrderValue").GetString());
        Assert.Equal(Money((orders.Count + 1) / 5m), view.GetProperty("ordersPerMinute").GetString());
        Assert.Equal(1, Assert.Single(view.GetProperty("rejectionsByReason").EnumerateArray(),
            reason => reason.GetProperty("reason").GetString() == RejectionReasons.DiscontinuedItem).GetProperty("count").GetInt64());
        Assert.Equal(orders.Count, view.GetProperty("emails").GetProperty("sent").GetInt64());
        var cola = Assert.Single(view.GetProperty("topItemsByQuantity").EnumerateArray(), item => item.GetProperty("menuItemId").GetString() == "cola");
        Assert.Equal(lines.Where(line => line.MenuItemId == "cola").DistinctBy(line => (line.OrderId, line.LineNumber)).Sum(line => line.Quantity), cola.GetProperty("quantity").GetInt64());
        Assert.False(view.GetProperty("mayHoldRepeats").GetBoolean());

        await console.DisposeAsync();
        await using var restarted = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        var rebuilt = await WaitForRevenueAsync(restarted, expected);

        Assert.Equal(view.GetProperty("orders").GetInt64(), rebuilt.GetProperty("orders").GetInt64());
        Assert.Equal(view.GetProperty("topItemsByRevenue").GetRawText(), rebuilt.GetProperty("topItemsByRevenue").GetRawText());
    }

    [Fact]
    public async Task ARecordTheFiguresCannotUseIsSkippedAndTheReaderGoesOn()
    {
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(brokers: 1, partitions: 1, Topics.All);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();

        foreach (var value in new[] { "{", "null", """{"orderId":"00000000-0000-0000-0000-000000000001","lineNumber":1}""", """{"orderId":"00000000-0000-0000-0000-000000000002"}""" })
        {
            await producer.ProduceAsync(new TopicPartition(Topics.OrdersAnalytics, 0), new Message<string, byte[]> { Key = "bad", Value = System.Text.Encoding.UTF8.GetBytes(value) });
            await producer.ProduceAsync(new TopicPartition(Topics.OrdersRejected, 0), new Message<string, byte[]> { Key = "bad", Value = System.Text.Encoding.UTF8.GetBytes(value) });
        }

        var rejected = new OrderRejected(Guid.NewGuid(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, RejectionReasons.UnknownItem, "Caviar is not on the menu.");
        await producer.ProduceAsync(new TopicPartition(Topics.OrdersRejected, 0), new Message<string, byte[]>
        {
            Key = rejected.OrderId.ToString(),
            Value = JsonSerializer.SerializeToUtf8Bytes(rejected, ContractsJsonContext.Default.OrderRejected),
        });
        await PublishLinesAsync(kafka.BootstrapServers, [Marker(out var marker)]);
        var view = await WaitForAsync(console, view => view.GetProperty("revenue").GetString() == Money(marker.Revenue)
            && view.GetProperty("rejectionsByReason").GetArrayLength() == 1, "the marker line and the one rejection");

        Assert.Equal(1, view.GetProperty("orders").GetInt64());
        Assert.Equal(RejectionReasons.UnknownItem, view.GetProperty("rejectionsByReason")[0].GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("10")]
    [InlineData("0")]
    [InlineData("sixty")]
    public async Task ARangeOtherThan5Or15Or60MinutesIsA400NamingTheField(string minutes)
    {
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(brokers: 1, partitions: 1, Topics.All);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);

        using var response = await console.Client.GetAsync($"/api/analytics?minutes={minutes}");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("minutes", out _), problem.RootElement.GetRawText());
    }

    [Fact]
    public async Task OutsideDevelopmentTheFiguresNeedTheOperatorKey()
    {
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(brokers: 1, partitions: 1, Topics.All);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers, new() { ["Operator:ApiKey"] = "s3cret-operator-key" }, environment: "Production");

        using var anonymous = await console.Client.GetAsync("/api/analytics?minutes=5");
        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "/api/analytics?minutes=5") { Headers = { { "X-Api-Key", "s3cret-operator-key" } } };
        using var operatorResponse = await console.Client.SendAsync(signedIn);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorResponse.StatusCode);
    }

    private static OrderLineSold Marker(out OrderLineSold marker) =>
        marker = new OrderLineSold(Guid.NewGuid(), 1, DateTimeOffset.UtcNow, "tiramisu", "Tiramisu", "Desserts", 3, 16.80m);

    private static Task PublishLinesAsync(InProcessPipeline pipeline, IEnumerable<OrderLineSold> lines) => PublishLinesAsync(pipeline.Kafka.BootstrapServers, lines);

    private static async Task PublishLinesAsync(string bootstrapServers, IEnumerable<OrderLineSold> lines)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        // All on one partition, one after the other: once the last is counted, the reader has read those before it.
        foreach (var line in lines)
        {
            await producer.ProduceAsync(new TopicPartition(Topics.OrdersAnalytics, 0), new Message<string, byte[]>
            {
                Key = line.OrderId.ToString(),
                Value = JsonSerializer.SerializeToUtf8Bytes(line, ContractsJsonContext.Default.OrderLineSold),
            });
        }
    }

    private static Task<JsonElement> WaitForRevenueAsync(OperationsApp console, decimal revenue) =>
        WaitForAsync(console, view => view.GetProperty("revenue").GetString() == Money(revenue), $"a revenue of {Money(revenue)}");

    private static async Task<JsonElement> WaitForAsync(OperationsApp console, Func<JsonElement, bool> shows, string what)
    {
        JsonElement latest = default;
        await Eventually.WaitUntilAsync(() =>
        {
            using var response = console.Client.Send(new HttpRequestMessage(HttpMethod.Get, "/api/analytics?minutes=5"));
            latest = JsonDocument.Parse(response.Content.ReadAsStream()).RootElement.Clone();
            return response.IsSuccessStatusCode && shows(latest);
        }, Timeout, () => $"the analytics show {latest}, not {what}");
        return latest;
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
