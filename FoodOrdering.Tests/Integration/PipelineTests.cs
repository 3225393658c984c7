using System.Text;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using MimeKit;

namespace FoodOrdering.Tests.Integration;

public sealed class PipelineTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task GeneratedOrdersAreConfirmedPricedFromTheMenuAndEmailed()
    {
        const int orders = 40;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();

        await pipeline.StartProducerAsync(orders, ordersPerSecond: 200);

        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= orders, Timeout,
            () => $"{pipeline.Smtp.MessagesReceived} of {orders} emails arrived");
        var received = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersReceived, ContractsJsonContext.Default.OrderPlaced);
        var confirmed = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed);
        var expectedLines = received.Sum(order => order.Lines.Count);
        await Eventually.WaitUntilAsync(
            () => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersAnalytics).Count >= expectedLines, Timeout,
            () => $"fewer than {expectedLines} analytics records");
        var analytics = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersAnalytics, ContractsJsonContext.Default.OrderLineSold);

        Assert.Equal(orders, received.Count);
        Assert.Equal(orders, confirmed.Count);
        Assert.Equal(received.Select(o => o.OrderId).Order(), confirmed.Select(o => o.OrderId).Order());
        var receivedById = received.ToDictionary(order => order.OrderId);
        foreach (var order in confirmed)
        {
            var expectedSubtotal = receivedById[order.OrderId].Lines.Sum(line => MenuPrice(line.MenuItemId) * line.Quantity);
            Assert.Equal(expectedSubtotal, order.Subtotal);
            Assert.Equal(order.Subtotal, order.Lines.Sum(line => line.LineTotal));
            Assert.Equal(Math.Round((expectedSubtotal + 2.50m) * 0.08m, 2, MidpointRounding.AwayFromZero), order.Tax);
            Assert.Equal(order.Subtotal + order.DeliveryFee + order.Tax, order.Total);
        }

        Assert.Equal(expectedLines, analytics.Count);
        Assert.Equal(confirmed.Sum(order => order.Subtotal), analytics.Sum(line => line.Revenue));
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersRejected));

        var emails = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path)).ToList();
        Assert.Equal(orders, emails.Count);
        Assert.Equal(
            confirmed.Select(order => $"order-{order.OrderId:N}@foodordering.example").Order(),
            emails.Select(email => email.MessageId).Order());
    }

    [Fact]
    public async Task UnreadableMessagesAreDeadLetteredWithTheReasonAndTheirNeighboursStillConfirm()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = pipeline.Kafka.BootstrapServers }).Build();
        var before = NewOrder();
        var after = NewOrder();
        var garbage = Encoding.UTF8.GetBytes("{\"orderId\": \"not-a-guid\", \"lines\": 7");
        var missingCustomer = Encoding.UTF8.GetBytes($$"""{"orderId":"{{Guid.NewGuid()}}","placedAt":"2026-11-25T10:00:00+00:00","lines":[]}""");

        // All four on one partition in this order; the orders keyed by their ids, as every order must be.
        const string key = "same-partition";
        var partition = new TopicPartition(Topics.OrdersReceived, 0);
        await producer.ProduceAsync(partition, new Message<string, byte[]> { Key = before.OrderId.ToString(), Value = Json(before) });
        await producer.ProduceAsync(partition, new Message<string, byte[]> { Key = key, Value = garbage });
        await producer.ProduceAsync(partition, new Message<string, byte[]> { Key = key, Value = missingCustomer });
        await producer.ProduceAsync(partition, new Message<string, byte[]> { Key = after.OrderId.ToString(), Value = Json(after) });

        await Eventually.WaitUntilAsync(
            () => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count >= 2, Timeout,
            () => "the valid orders on either side of the bad ones were not confirmed");
        var deadLetters = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersReceived));
        var confirmed = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed);

        // Confirmations are keyed by order id, so they may sit on different partitions: compare as sets.
        Assert.Equal(new[] { before.OrderId, after.OrderId }.Order(), confirmed.Select(order => order.OrderId).Order());
        Assert.Equal(2, deadLetters.Count);
        Assert.Equal(garbage, deadLetters[0].Message.Value);
        Assert.Equal(missingCustomer, deadLetters[1].Message.Value);
        Assert.All(deadLetters, record =>
        {
            Assert.Equal(key, record.Message.Key);
            Assert.Equal(Topics.OrdersReceived, Header(record, DeadLetterHeaders.SourceTopic));
            Assert.Equal(ConsumerGroups.Transactions, Header(record, DeadLetterHeaders.ConsumerGroup));
            Assert.Equal("System.Text.Json.JsonException", Header(record, DeadLetterHeaders.ErrorType));
            Assert.False(string.IsNullOrWhiteSpace(Header(record, DeadLetterHeaders.Error)));
        });
        Assert.Contains("customer", Header(deadLetters[1], DeadLetterHeaders.Error), StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] Json(OrderPlaced order) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(order, ContractsJsonContext.Default.OrderPlaced);

    private static decimal MenuPrice(string id) => Menu.TryGet(id, out var item) ? item.UnitPrice : throw new InvalidOperationException(id);

    private static OrderPlaced NewOrder() => new(
        Guid.NewGuid(),
        DateTimeOffset.UtcNow,
        new Customer("cust-1", "Ada Lovelace", "ada@example.com"),
        [new OrderLine("margherita", 2), new OrderLine("cola", 1)]);

    private static string Header(ConsumeResult<string, byte[]> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
