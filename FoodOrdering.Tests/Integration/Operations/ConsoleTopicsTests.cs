using System.Net;
using System.Net.Http.Json;
using System.Text;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Operations.Audit;
using FoodOrdering.Operations.Catalog;
using FoodOrdering.Operations.Orders;
using FoodOrdering.Operations.Records;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration.Operations;

/// <summary>The console's topics, records and order trail against the embedded broker.</summary>
public sealed class ConsoleTopicsTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task RecordCountsAreWhatAReadCommittedReaderGetsNotOffsetsWhichTransactionMarkersTakeToo()
    {
        const int orders = 103;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.PublishAsync(Enumerable.Range(0, orders).Select(_ => InProcessPipeline.NewOrder()));
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count >= orders, Timeout,
            () => "the orders were not all confirmed");
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);

        TopicSummary? confirmed = null;
        await Eventually.WaitUntilAsync(() =>
        {
            confirmed = console.GetAsync<List<TopicSummary>>("/api/topics").Result.SingleOrDefault(t => t.Name == Topics.OrdersConfirmed);
            return confirmed is { Settled: true, Records: >= orders };
        }, Timeout, () => $"the console shows {confirmed}");
        var detail = await console.GetAsync<TopicDetail>($"/api/topics/{Topics.OrdersConfirmed}");

        Assert.Equal(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count, confirmed!.Records);
        Assert.Equal(orders, confirmed.Records);
        // Transactions wrote them in transactions, whose markers take offsets: offsets overstate the records.
        Assert.True(detail.Partitions.Sum(p => p.High - p.Low) > orders, $"offsets {detail.Partitions.Sum(p => p.High - p.Low)} should exceed the {orders} records");
        Assert.Equal(orders, detail.Partitions.Sum(p => p.Records));
        Assert.True(confirmed.RecordsPerSecond > 0);
    }

    [Theory]
    [InlineData("newest")]
    [InlineData("oldest")]
    [InlineData("time")]
    public async Task PagesThroughATopicOnceEachWithoutRepeatsOrGapsInTimestampOrder(string from)
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        // Kafka keeps timestamps in milliseconds.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds());
        for (var i = 0; i < 130; i++)
        {
            producer.Produce(Topics.OrdersReceived, new Message<string, byte[]>
            {
                Key = Guid.NewGuid().ToString(),
                Value = Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"),
                Timestamp = new Timestamp(start.AddSeconds(i).UtcDateTime),
            });
        }

        producer.Flush();
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        await WaitSettledAsync(console, Topics.OrdersReceived, 130);
        var query = from == "time" ? $"from={Uri.EscapeDataString(start.AddSeconds(30).ToString("O"))}" : $"from={from}";

        var seen = new List<RecordView>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await console.GetAsync<RecordPage>($"/api/topics/{Topics.OrdersReceived}/records?{query}&limit=50{(cursor is null ? "" : $"&cursor={cursor}")}");
            Assert.True(page.Records.Count <= 50);
            seen.AddRange(page.Records);
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null && pages < 10);

        var expected = from == "time" ? 100 : 130;
        Assert.Equal(expected, seen.Count);
        Assert.Equal(expected, seen.Select(r => (r.Partition, r.Offset)).Distinct().Count());
        var times = seen.Select(r => r.Timestamp).ToList();
        Assert.Equal(from == "newest" ? times.OrderDescending() : times.Order(), times);
        Assert.Equal((expected + 49) / 50, pages);
    }

    [Fact]
    public async Task AOneMebibyteValueAHundredKilobyteHeaderAndInvalidUtf8AreShownCutAndSafe()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, MessageMaxBytes = 2 * 1024 * 1024 }).Build();
        var big = Encoding.UTF8.GetBytes($"{{\"filler\":\"{new string('x', 1024 * 1024)}\"}}");
        await producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]>
        {
            Key = "big",
            Value = big,
            Headers = new Headers { { "huge", Encoding.UTF8.GetBytes(new string('h', 100 * 1024)) } },
        });
        await producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = "binary", Value = [0xC3, 0x28, 0xFF, 0x00, 0x7B] });
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        await WaitSettledAsync(console, Topics.OrdersReceived, 2);

        var page = await console.GetAsync<RecordPage>($"/api/topics/{Topics.OrdersReceived}/records?from=oldest");

        var large = page.Records.Single(r => r.Key!.Text == "big");
        Assert.Equal(ValueKinds.Json, large.Value!.Kind);
        Assert.True(large.Value.Truncated);
        Assert.Equal(big.Length, large.Value.Bytes);
        Assert.Equal(page.MaxValueChars, large.Value.Text.Length);
        var header = Assert.Single(large.Headers, h => h.Key == "huge").Value!;
        Assert.True(header.Truncated);
        Assert.Equal(100 * 1024, header.Bytes);
        Assert.True(header.Text.Length <= 4096);
        var binary = page.Records.Single(r => r.Key!.Text == "binary").Value!;
        Assert.Equal(ValueKinds.Binary, binary.Kind);
        Assert.Equal("C328FF007B", binary.Text);
        Assert.Equal(5, binary.Bytes);
    }

    [Fact]
    public async Task CustomerNamesEmailsAndAddressesAreMaskedUnlessOneRecordIsRevealedWhichIsAudited()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var order = InProcessPipeline.NewOrder(email: "grace.hopper@example.com", name: "Grace Hopper");
        var delivered = await producer.PublishAsync(Topics.OrdersReceived, order.OrderId.ToString(), order, ContractsJsonContext.Default.OrderPlaced);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        await WaitSettledAsync(console, Topics.OrdersReceived, 1);
        var path = $"/api/topics/{Topics.OrdersReceived}/records/{delivered.Partition.Value}/{delivered.Offset.Value}";

        var masked = await console.GetAsync<RecordView>(path);
        var page = await console.GetAsync<RecordPage>($"/api/topics/{Topics.OrdersReceived}/records");
        var revealed = await console.GetAsync<RecordView>($"{path}?reveal=true");

        foreach (var text in new[] { masked.Value!.Text, page.Records.Single().Value!.Text })
        {
            Assert.DoesNotContain("Grace Hopper", text);
            Assert.DoesNotContain("grace.hopper@example.com", text);
            Assert.DoesNotContain("12 Analytical St", text);
            Assert.Contains("g***@example.com", text);
            Assert.Contains(order.OrderId.ToString(), text);
        }

        Assert.True(revealed.Revealed);
        Assert.Contains("Grace Hopper", revealed.Value!.Text);
        Assert.Contains("12 Analytical St", revealed.Value.Text);
        AuditEntry? reveal = null;
        await Eventually.WaitUntilAsync(() => (reveal = console.GetAsync<List<AuditEntry>>("/api/audit").Result.FirstOrDefault(e => e.Action == AuditActions.Reveal)) is not null,
            Timeout, () => "no audit record of the reveal");
        Assert.Equal($"{Topics.OrdersReceived}/{delivered.Partition.Value}/{delivered.Offset.Value}", reveal!.Target);
        Assert.StartsWith("anonymous", reveal.Operator);
    }

    [Fact]
    public async Task AnOrdersTrailShowsItReceivedConfirmedAndEmailedAndARejectedOneWhy()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        var good = InProcessPipeline.NewOrder();
        var bad = InProcessPipeline.NewOrder() with { Lines = [new OrderLine("no-such-dish", 1)] };
        await pipeline.PublishAsync([good, bad]);
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsSent).Count >= 1, Timeout, () => "no email sent");
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);

        OrderTrailView? trail = null;
        await Eventually.WaitUntilAsync(() => (trail = console.GetAsync<OrderTrailView>($"/api/orders/{good.OrderId}/trail").Result).Steps.Any(s => s.Step == "emailed"),
            Timeout, () => $"the trail shows {string.Join(", ", trail?.Steps.Select(s => s.Step) ?? [])}");
        OrderTrailView? rejected = null;
        await Eventually.WaitUntilAsync(() => (rejected = console.GetAsync<OrderTrailView>($"/api/orders/{bad.OrderId}/trail").Result).Steps.Any(s => s.Step == "rejected"),
            Timeout, () => $"the trail shows {string.Join(", ", rejected?.Steps.Select(s => s.Step) ?? [])}");

        var first = trail!.Steps.Select(s => s.Step).Distinct().ToList();
        Assert.Equal(["received", "confirmed", "emailed"], first.Where(s => s is "received" or "confirmed" or "emailed"));
        Assert.Contains("sent to analytics", first);
        Assert.Equal(["received", "rejected"], rejected!.Steps.Select(s => s.Step));
        Assert.StartsWith(RejectionReasons.UnknownItem, rejected.Steps[1].Summary);
        Assert.All(trail.Steps, step => Assert.Equal(good.OrderId.ToString(), step.Record.Key!.Text));
        Assert.Empty(trail.SearchedFrom);
    }

    [Fact]
    public async Task OutsideDevelopmentTheApiNeedsTheOperatorKeyAndTheHealthEndpointDoesNot()
    {
        const string key = "console-operator-key-0123456789";
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers, new() { ["Operator:ApiKey"] = key }, environment: "Production");

        using var anonymous = await console.Client.GetAsync("/api/topics");
        using var wrong = await Send(console, "/api/topics", key + "x");
        using var right = await Send(console, "/api/topics", key);
        using var health = await console.Client.GetAsync("/alive");
        using var page = await console.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    internal static async Task WaitSettledAsync(OperationsApp console, string topic, long records) =>
        await Eventually.WaitUntilAsync(
            () => console.GetAsync<List<TopicSummary>>("/api/topics").Result.Any(t => t.Name == topic && t.Settled && t.Records >= records),
            Timeout, () => $"the console never read {records} records of {topic}");

    private static Task<HttpResponseMessage> Send(OperationsApp console, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        return console.Client.SendAsync(request);
    }

}
