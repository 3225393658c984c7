using System.Text;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Producer.Generator;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>Where each received message ends up: confirmed, rejected with a reason, or dead-lettered with the error.</summary>
public sealed class OrderOutcomeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task EachUnacceptableOrderGetsExactlyOneRejectionWithItsReasonWhileItsNeighboursConfirm()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var valid = Enumerable.Range(0, 4).Select(_ => InProcessPipeline.NewOrder()).ToList();
        var unacceptable = new Dictionary<string, OrderPlaced>
        {
            [RejectionReasons.DiscontinuedItem] = With(new OrderLine("pumpkin-soup", 1)),
            [RejectionReasons.UnknownItem] = With(new OrderLine("caviar", 1)),
            [RejectionReasons.QuantityOutOfRange] = With(new OrderLine("cola", 1_000_000)),
            [RejectionReasons.TotalAboveMaximum] = With([.. Enumerable.Repeat(new OrderLine("quattro-formaggi", 20), 4)]),
            [RejectionReasons.EmptyOrder] = With(),
            [RejectionReasons.TooManyLines] = With([.. Enumerable.Repeat(new OrderLine("cola", 1), OrderLimits.MaxLines + 1)]),
        };

        // Interleaved on one partition, so every rejection sits between orders that must still confirm.
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = pipeline.Kafka.BootstrapServers }).Build();
        var sequence = valid.Take(1).Concat(unacceptable.Values.SelectMany((order, i) => new[] { order, valid[1 + (i % 3)] }));
        foreach (var order in sequence)
        {
            await producer.ProduceAsync(new TopicPartition(Topics.OrdersReceived, 0), new Message<string, byte[]>
            {
                Key = order.OrderId.ToString(),
                Value = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(order, ContractsJsonContext.Default.OrderPlaced),
            });
        }

        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);
        var rejected = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersRejected, ContractsJsonContext.Default.OrderRejected);
        var confirmed = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed);

        Assert.Equal(unacceptable.Count, rejected.Count);
        foreach (var (reason, order) in unacceptable)
        {
            var rejection = Assert.Single(rejected, r => r.OrderId == order.OrderId);
            Assert.Equal(reason, rejection.Reason);
            Assert.False(string.IsNullOrWhiteSpace(rejection.Message));
        }

        // valid[1..3] went in twice each (between rejections): the second time each is a duplicate, done already.
        Assert.Equal(valid.Select(o => o.OrderId).Order(), confirmed.Select(o => o.OrderId).Order());
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersReceived)));
    }

    [Fact]
    public async Task UnreadableMessagesAreDeadLetteredWithTheirBytesHeadersAndError()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var order = InProcessPipeline.NewOrder();
        var json = System.Text.Json.JsonSerializer.Serialize(order, ContractsJsonContext.Default.OrderPlaced);
        var unreadable = new Dictionary<string, byte[]>
        {
            ["wrong-type"] = Encoding.UTF8.GetBytes(json.Replace("\"quantity\":2", "\"quantity\":\"two\"", StringComparison.Ordinal)),
            ["missing-field"] = Encoding.UTF8.GetBytes(json.Replace("\"customer\":", "\"client\":", StringComparison.Ordinal)),
            ["json-null"] = Encoding.UTF8.GetBytes("null"),
            ["null-line"] = Encoding.UTF8.GetBytes(json.Replace("\"lines\":[", "\"lines\":[null,", StringComparison.Ordinal)),
            ["invalid-utf8"] = [0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D],
            ["too-large"] = Encoding.UTF8.GetBytes(json.Replace("12 Analytical St", new string('x', 100_000), StringComparison.Ordinal)),
            ["one-megabyte"] = Encoding.UTF8.GetBytes(json.Replace("12 Analytical St", new string('x', 1024 * 1024), StringComparison.Ordinal)),
        };
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = pipeline.Kafka.BootstrapServers, MessageMaxBytes = 2 * 1024 * 1024 }).Build();
        foreach (var (name, bytes) in unreadable)
        {
            await producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]>
            {
                Key = name,
                Value = bytes,
                Headers = [new Header("origin", Encoding.UTF8.GetBytes("test"))],
            });
        }

        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);
        var deadLetters = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersReceived)).ToDictionary(r => r.Message.Key);

        Assert.Equal(unreadable.Keys.Order(), deadLetters.Keys.Order());
        foreach (var (name, bytes) in unreadable.Where(pair => pair.Key != "one-megabyte"))
        {
            var deadLetter = deadLetters[name];
            Assert.Equal(bytes, deadLetter.Message.Value);
            Assert.Equal("test", Header(deadLetter, "origin"));
            Assert.Equal(Topics.OrdersReceived, Header(deadLetter, DeadLetterHeaders.SourceTopic));
            Assert.False(string.IsNullOrWhiteSpace(Header(deadLetter, DeadLetterHeaders.Error)));
        }

        Assert.Equal("MessageTooLarge", Header(deadLetters["too-large"], DeadLetterHeaders.ErrorType));
        // Cut to stay under the broker's message limit in its turn, saying so.
        var huge = deadLetters["one-megabyte"];
        Assert.Equal(unreadable["one-megabyte"].Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(huge, DeadLetterHeaders.TruncatedFrom));
        Assert.Equal(unreadable["one-megabyte"][..huge.Message.Value.Length], huge.Message.Value);
        Assert.Contains("customer", Header(deadLetters["missing-field"], DeadLetterHeaders.Error), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed));
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersRejected));
    }

    [Fact]
    public async Task PricesAClientSendsAreIgnoredForTheMenus()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var order = InProcessPipeline.NewOrder();
        var json = System.Text.Json.JsonSerializer.Serialize(order, ContractsJsonContext.Default.OrderPlaced)
            .Replace("\"quantity\":2", "\"quantity\":2,\"unitPrice\":0.01,\"lineTotal\":0.02", StringComparison.Ordinal)
            .Replace("\"lines\":", "\"total\":0.01,\"subtotal\":0.01,\"lines\":", StringComparison.Ordinal);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = pipeline.Kafka.BootstrapServers }).Build();

        await producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = order.OrderId.ToString(), Value = Encoding.UTF8.GetBytes(json) });

        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count == 1, Timeout, () => "not confirmed");
        var confirmed = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed));
        Assert.Contains("0.01", json, StringComparison.Ordinal);
        // 2 × 11.50 + 2.40 from the menu
        Assert.Equal(25.40m, confirmed.Subtotal);
        Assert.Equal(11.50m, confirmed.Lines[0].UnitPrice);
    }

    [Fact]
    public async Task ABurstOfTenThousandGeneratedOrdersWithOnePercentMalformedAddsUpExactly()
    {
        const int messages = 10_000;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var generator = new OrderGenerator(Options.Create(new OrderGeneratorOptions { Seed = 7 }), TimeProvider.System);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = pipeline.Kafka.BootstrapServers, LingerMs = 5 }).Build();
        var sent = new List<Task>(messages);
        for (var i = 0; i < messages; i++)
        {
            var order = generator.Next();
            sent.Add(i % 100 == 99
                ? producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = order.OrderId.ToString(), Value = Encoding.UTF8.GetBytes($"{{\"orderId\":\"{order.OrderId}\",\"lines\":") })
                : producer.PublishAsync(Topics.OrdersReceived, order.OrderId.ToString(), order, ContractsJsonContext.Default.OrderPlaced));
        }

        await Task.WhenAll(sent);
        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);
        var confirmed = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count;
        var rejected = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersRejected).Count;
        var deadLettered = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersReceived)).Count;
        output.WriteLine($"{messages} in: {confirmed} confirmed + {rejected} rejected + {deadLettered} dead-lettered = {confirmed + rejected + deadLettered}");

        Assert.Equal(messages / 100, deadLettered);
        Assert.Equal(messages, confirmed + rejected + deadLettered);
    }

    private static OrderPlaced With(params OrderLine[] lines) => InProcessPipeline.NewOrder() with { Lines = lines };

    private static string Header(ConsumeResult<string, byte[]> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
