using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Producer.Tracking;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// One order id, one order, through the pipeline: the same order received again is done already, a different order
/// under a used id is rejected for it, and both hold after Transactions restarts or is killed between the two.
/// </summary>
public sealed class OrderIdTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task ADifferentOrderUnderAUsedIdIsRejectedForItWhileTheFirstIsConfirmedEmailedAndTrackedAsConfirmed()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        await using var producer = await ProducerApp.StartAsync(pipeline.Kafka.BootstrapServers);
        var first = InProcessPipeline.NewOrder("ada@example.com");
        var impostor = InProcessPipeline.NewOrder("mallory@example.com", "Mallory") with { OrderId = first.OrderId, Lines = [new OrderLine("tiramisu", 20)] };

        await pipeline.PublishAsync([first]);
        await pipeline.PublishAsync([impostor]);
        await CaughtUpAsync(pipeline);

        var confirmed = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed));
        Assert.Equal("ada@example.com", confirmed.Customer.Email);
        var rejected = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersRejected, ContractsJsonContext.Default.OrderRejected));
        Assert.Equal((first.OrderId, RejectionReasons.OrderIdInUse), (rejected.OrderId, rejected.Reason));
        Assert.Equal(2, TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersAnalytics).Count);
        await EmailedAsync(pipeline);
        var email = Assert.Single(Directory.GetFiles(pipeline.MailDirectory, "*.eml"));
        Assert.Contains("ada@example.com", await File.ReadAllTextAsync(email), StringComparison.Ordinal);
        var board = producer.Services.GetRequiredService<OrderTrackingBoard>();
        await Eventually.WaitUntilAsync(() => board.Find(first.OrderId)?.Email is not null, Timeout, () => "the email is not tracked");
        var status = board.Find(first.OrderId)!;
        Assert.Equal(OrderStatuses.Confirmed, status.Status);
        Assert.Null(status.Rejection);
        Assert.Equal(first.PlacedAt, status.PlacedAt);
        Assert.Equal(confirmed.Total, status.Price!.Total);
        Assert.Equal(OrderStatuses.EmailSent, status.Email!.Status);
    }

    [Fact]
    public async Task TheSameOrderReceivedAgainIsConfirmedIndexedAndEmailedOnceWhateverItsJsonSpacing()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        var order = InProcessPipeline.NewOrder();
        var others = Enumerable.Range(0, 3).Select(_ => InProcessPipeline.NewOrder()).ToList();

        await pipeline.PublishAsync([order, .. others]);
        await CaughtUpAsync(pipeline);
        // As a re-drive copies it, and as another writer would lay the same order out.
        await pipeline.PublishAsync([order]);
        await PublishRawAsync(pipeline, order.OrderId, JsonSerializer.Serialize(order, ContractsJsonContext.Default.OrderPlaced).Replace(",", " ,\n ", StringComparison.Ordinal));
        await CaughtUpAsync(pipeline);
        await EmailedAsync(pipeline);

        AssertPricedOnce(pipeline, order, others.Count);
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersRejected));
        Assert.Equal(1 + others.Count, Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length);
    }

    [Fact]
    public async Task AfterARestartTheSameOrderIsStillDoneAndAnotherUnderItsIdStillRejected()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var order = InProcessPipeline.NewOrder();
        var transactions = await pipeline.StartTransactionsAsync();
        await pipeline.PublishAsync([order]);
        await CaughtUpAsync(pipeline);
        await transactions.StopAsync();

        await pipeline.StartTransactionsAsync();
        await pipeline.PublishAsync([order, order with { DeliveryAddress = "1 Other Road" }]);
        await CaughtUpAsync(pipeline);

        AssertPricedOnce(pipeline, order, others: 0);
        Assert.Equal(RejectionReasons.OrderIdInUse, Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersRejected, ContractsJsonContext.Default.OrderRejected)).Reason);
    }

    [Fact]
    public async Task AfterTransactionsIsKilledTheSameOrderIsStillDoneAndAnotherUnderItsIdStillRejected()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var bootstrap = pipeline.Kafka.BootstrapServers;
        var order = InProcessPipeline.NewOrder();
        var others = Enumerable.Range(0, 200).Select(_ => InProcessPipeline.NewOrder()).ToList();
        using (var killed = ServiceProcess.Start(ServiceProcess.Transactions, bootstrap, Settings()))
        {
            await pipeline.PublishAsync([order, .. others]);
            await CaughtUpAsync(pipeline);
            killed.Kill();
        }

        using var restarted = ServiceProcess.Start(ServiceProcess.Transactions, bootstrap, Settings());
        await pipeline.PublishAsync([order, order with { Customer = order.Customer with { Name = "Somebody Else" } }]);
        await CaughtUpAsync(pipeline);

        AssertPricedOnce(pipeline, order, others.Count);
        Assert.Equal(RejectionReasons.OrderIdInUse, Assert.Single(TopicReader.ReadAll(bootstrap, Topics.OrdersRejected, ContractsJsonContext.Default.OrderRejected)).Reason);
    }

    [Fact]
    public async Task AnOrderWhoseTransactionNeverCommittedIsConfirmedAfterARestartThoughItsClaimIsOnTheLog()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var bootstrap = pipeline.Kafka.BootstrapServers;
        var order = InProcessPipeline.NewOrder();
        var settings = new Dictionary<string, string?> { ["OrderProcessing:TransactionTimeout"] = "00:00:02" };
        // Every commit fails, so each transaction (the order's claim in it) is written and then aborted.
        pipeline.Kafka.InjectRequestErrors(KafkaApiKey.EndTxn, [.. Enumerable.Repeat(ErrorCode.InvalidTxnState, 10_000)]);
        var failing = await pipeline.StartTransactionsAsync(settings);
        await pipeline.PublishAsync([order]);
        await Eventually.WaitUntilAsync(() => Claims(bootstrap, order.OrderId) >= 1, Timeout, () => "the order was never claimed");
        await failing.StopAsync();
        pipeline.Kafka.ClearRequestErrors(KafkaApiKey.EndTxn);
        var aborted = Claims(bootstrap, order.OrderId);

        await pipeline.StartTransactionsAsync();
        await CaughtUpAsync(pipeline);

        // The embedded broker hands aborted records to read_committed readers, so the aborted claims (and
        // confirmations) stay visible: what counts is that the restarted service took none of them for done and
        // priced the order, claiming it once more.
        var claims = Claims(bootstrap, order.OrderId);
        Assert.Equal(aborted + 1, claims);
        Assert.Equal(claims, TopicReader.ReadAll(bootstrap, Topics.OrdersConfirmed).Count(record => record.Message.Key == order.OrderId.ToString()));
        Assert.Empty(TopicReader.ReadAll(bootstrap, Topics.OrdersRejected));
    }

    [Fact]
    public async Task AnOrderWhoseKeyIsNotItsIdIsDeadLetteredSoNoPartitionCanHoldAnIdItsLedgerDoesNotKnow()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var order = InProcessPipeline.NewOrder();
        var json = JsonSerializer.Serialize(order, ContractsJsonContext.Default.OrderPlaced);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = pipeline.Kafka.BootstrapServers }).Build();

        foreach (var key in new[] { "another-key", Guid.NewGuid().ToString(), order.OrderId.ToString().ToUpperInvariant(), order.OrderId.ToString("N") })
        {
            await producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(json) });
        }

        await pipeline.PublishAsync([order]);
        await CaughtUpAsync(pipeline);

        var deadLetters = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersReceived));
        Assert.Equal(4, deadLetters.Count);
        Assert.All(deadLetters, record => Assert.Contains("key is not its order id",
            Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(DeadLetterHeaders.Error)), StringComparison.Ordinal));
        AssertPricedOnce(pipeline, order, others: 0);
    }

    [Fact]
    public async Task PastMaxOrderIdsPerPartitionTheOldestIdIsForgottenAndTheNewestStillKnownAlsoAfterARestart()
    {
        const int max = 1_000;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync(partitions: 1);
        var settings = new Dictionary<string, string?> { ["OrderProcessing:MaxOrderIdsPerPartition"] = $"{max}" };
        var orders = Enumerable.Range(0, max + 2).Select(_ => InProcessPipeline.NewOrder()).ToList();
        var transactions = await pipeline.StartTransactionsAsync(settings);
        await pipeline.PublishAsync(orders[..(max + 1)]);
        await CaughtUpAsync(pipeline);

        await pipeline.PublishAsync([orders[0], orders[max]]);
        await CaughtUpAsync(pipeline);
        await transactions.StopAsync();
        await pipeline.StartTransactionsAsync(settings);
        // After the restart the claims read back are bounded the same way: orders[1] is among the oldest.
        await pipeline.PublishAsync([orders[max + 1], orders[1], orders[max]]);
        await CaughtUpAsync(pipeline);

        var confirmed = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed)
            .CountBy(order => order.OrderId).ToDictionary();
        Assert.Equal(2, confirmed[orders[0].OrderId]);
        Assert.Equal(2, confirmed[orders[1].OrderId]);
        Assert.Equal(1, confirmed[orders[max].OrderId]);
        Assert.Equal(max + 4, confirmed.Values.Sum());
    }

    private static Dictionary<string, string> Settings() => new()
    {
        ["EmbeddedBroker__CommitOffsetsAfterTransaction"] = "true",
    };

    private static int Claims(string bootstrap, Guid orderId) =>
        TopicReader.ReadAll(bootstrap, Topics.OrderIdClaims).Count(record => record.Message.Key == orderId.ToString());

    private static Task CaughtUpAsync(InProcessPipeline pipeline) =>
        ConsumerGroupOffsets.WaitUntilCaughtUpAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);

    /// <summary>Until Emails has dealt with every confirmation on the topic.</summary>
    private static Task EmailedAsync(InProcessPipeline pipeline) =>
        ConsumerGroupOffsets.WaitUntilPastAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Emails,
            TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed), Timeout);

    private static void AssertPricedOnce(InProcessPipeline pipeline, OrderPlaced order, int others)
    {
        var bootstrap = pipeline.Kafka.BootstrapServers;
        var confirmed = TopicReader.ReadAll(bootstrap, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed);
        Assert.Equal(1 + others, confirmed.Count);
        Assert.Single(confirmed, c => c.OrderId == order.OrderId);
        var analytics = TopicReader.ReadAll(bootstrap, Topics.OrdersAnalytics, ContractsJsonContext.Default.OrderLineSold);
        Assert.Equal(order.Lines.Count, analytics.Count(line => line.OrderId == order.OrderId));
        Assert.Equal(1, Claims(bootstrap, order.OrderId));
    }

    private static async Task PublishRawAsync(InProcessPipeline pipeline, Guid orderId, string json)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = pipeline.Kafka.BootstrapServers }).Build();
        await producer.ProduceAsync(Topics.OrdersReceived, new Message<string, byte[]> { Key = orderId.ToString(), Value = Encoding.UTF8.GetBytes(json) });
    }
}
