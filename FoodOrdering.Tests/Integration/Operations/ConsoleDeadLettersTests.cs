using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Operations.Audit;
using FoodOrdering.Operations.Catalog;
using FoodOrdering.Operations.DeadLetters;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FoodOrdering.Tests.Integration.Operations;

/// <summary>The console's dead letters: failure groups, re-drive and discard, against the embedded broker.</summary>
public sealed class ConsoleDeadLettersTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Recovery;

    [Fact]
    public async Task DeadLettersAreGroupedByReasonSourceAndErrorFingerprintWithCountsAndFirstAndLastSeen()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        await WriteDeadLettersAsync(kafka, Orders(5), i => $"Object reference not set to an instance of an object (line {i + 10}, order '{Guid.NewGuid()}')");
        await WriteDeadLettersAsync(kafka, Orders(3), _ => "Pricing timed out after 30 s");
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            foreach (var order in Orders(2))
            {
                await producer.PublishAsync(Topics.EmailsFailed, order.OrderId.ToString(),
                    new EmailFailed(order.OrderId, order.Customer.Email, DateTimeOffset.UtcNow, EmailFailureReasons.Rejected, $"550 5.1.1 <{order.Customer.Email}>: user unknown", 550),
                    ContractsJsonContext.Default.EmailFailed);
            }
        }

        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        List<DeadLetterGroupView> groups = [];
        await Eventually.WaitUntilAsync(() => (groups = console.GetAsync<List<DeadLetterGroupView>>("/api/dead-letters").Result).Sum(g => g.Count) == 10,
            Timeout, () => $"{groups.Sum(g => g.Count)} of 10 dead letters seen");
        var detail = await console.GetAsync<DeadLetterGroupDetail>($"/api/dead-letters/{groups.Single(g => g.Count == 5).Id}");
        using var unknown = await console.Client.GetAsync("/api/dead-letters/no-such-group");

        Assert.Equal([5, 3, 2], groups.Select(g => g.Count).OrderDescending());
        Assert.All(groups, g => Assert.Equal(g.Count, g.Unhandled));
        var emails = groups.Single(g => g.Count == 2);
        Assert.Equal((EmailFailureReasons.Rejected, Topics.OrdersConfirmed, Topics.EmailsFailed), (emails.Reason, emails.SourceTopic, emails.DeadLetterTopic));
        Assert.DoesNotContain("@example.com>", emails.Error.Replace("***@example.com", ""));
        Assert.Equal((DeadLetterReasons.Unprocessable, Topics.OrdersReceived), (detail.Group.Reason, detail.Group.SourceTopic));
        Assert.Equal(5, detail.Records.Count);
        Assert.True(detail.Group.FirstSeen <= detail.Group.LastSeen);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ARedrivenGroupIsConfirmedAndEmailedOnceEachAndASecondRedriveChangesNothing()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var orders = Orders(20);
        await WriteDeadLettersAsync(pipeline.Kafka, orders, _ => "Menu lookup failed");
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        var group = await WaitForGroupAsync(console, orders.Count);

        var first = await PostAsync(console, "/api/dead-letters/redrive", new DeadLetterSelection(group.Id, null));
        var second = await PostAsync(console, "/api/dead-letters/redrive", new DeadLetterSelection(group.Id, null));
        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= orders.Count, Timeout, () => $"{pipeline.Smtp.MessagesReceived} of {orders.Count} emails");
        var after = await console.GetAsync<DeadLetterGroupDetail>($"/api/dead-letters/{group.Id}");

        Assert.All(first.Records, r => Assert.Equal(AuditOutcomes.Redriven, r.Outcome));
        Assert.All(second.Records, r => Assert.Equal(AuditOutcomes.AlreadyHandled, r.Outcome));
        Assert.All(after.Records, r => Assert.Equal(AuditOutcomes.Redriven, r.Handled));
        Assert.Equal(0, after.Group.Unhandled);
        AssertOncePerOrder(pipeline, orders);
        var redriven = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersReceived);
        Assert.All(redriven, r => Assert.Equal("1", Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("redrive.count"))));
        var audit = await console.GetAsync<List<AuditEntry>>("/api/audit");
        Assert.Equal(2, audit.Count(e => e.Action == AuditActions.Redrive));
    }

    [Fact]
    public async Task BrokerWriteErrorsDuringARedriveLoseNoneAndDoubleNone()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var orders = Orders(60);
        await WriteDeadLettersAsync(pipeline.Kafka, orders, _ => "Menu lookup failed");
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers, new()
        {
            // Fail fast on what the broker refuses for good, as it retries what it may retry.
            ["Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs"] = "5000",
        });
        var group = await WaitForGroupAsync(console, orders.Count);

        // Retriable errors, retried by the idempotent producer, and refusals that fail whole produce requests.
        pipeline.Kafka.InjectRequestErrors(KafkaApiKey.Produce,
            ErrorCode.RequestTimedOut, ErrorCode.NotEnoughReplicas, ErrorCode.NotLeaderForPartition, ErrorCode.TopicAuthorizationFailed, ErrorCode.TopicAuthorizationFailed);
        var faulted = await PostAsync(console, "/api/dead-letters/redrive", new DeadLetterSelection(group.Id, null));
        pipeline.Kafka.ClearRequestErrors(KafkaApiKey.Produce);
        var retried = await PostAsync(console, "/api/dead-letters/redrive", new DeadLetterSelection(group.Id, null));
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= orders.Count, Timeout, () => $"{pipeline.Smtp.MessagesReceived} of {orders.Count} emails");

        Assert.Contains(faulted.Records, r => r.Outcome == AuditOutcomes.Failed);
        Assert.Equal(orders.Count, faulted.Records.Count(r => r.Outcome == AuditOutcomes.Redriven) + retried.Records.Count(r => r.Outcome == AuditOutcomes.Redriven));
        Assert.All(retried.Records, r => Assert.Contains(r.Outcome, new[] { AuditOutcomes.Redriven, AuditOutcomes.AlreadyHandled }));
        Assert.Equal(orders.Count, TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersReceived).Count);
        AssertOncePerOrder(pipeline, orders);
    }

    [Fact]
    public async Task ADiscardMarksTheRecordHandledLeavesItOnTheLogAndAGroupRedriveSkipsOnesOverTheLimit()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        var orders = Orders(3);
        await WriteDeadLettersAsync(kafka, orders, _ => "Menu lookup failed", redriveCounts: [0, 0, 3]);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        var group = await WaitForGroupAsync(console, orders.Count);
        var records = (await console.GetAsync<DeadLetterGroupDetail>($"/api/dead-letters/{group.Id}")).Records.OrderBy(r => r.Record).ToList();

        var discarded = await PostAsync(console, "/api/dead-letters/discard", new DeadLetterSelection(null, [records[0].Record]));
        var redriven = await PostAsync(console, "/api/dead-letters/redrive", new DeadLetterSelection(group.Id, null));
        using var neither = await console.Client.PostAsJsonAsync("/api/dead-letters/redrive", new DeadLetterSelection(null, null));
        using var notOne = await console.Client.PostAsJsonAsync("/api/dead-letters/redrive", new DeadLetterSelection(null, ["orders.received/0/0"]));
        var after = await console.GetAsync<DeadLetterGroupDetail>($"/api/dead-letters/{group.Id}");

        Assert.Equal(AuditOutcomes.Discarded, discarded.Records.Single().Outcome);
        Assert.Equal(
            [AuditOutcomes.AlreadyHandled, AuditOutcomes.Redriven, AuditOutcomes.OverLimit],
            records.Select(r => redriven.Records.Single(o => o.Record == r.Record).Outcome));
        Assert.True(after.Records.Single(r => r.Record == records[2].Record).OverLimit);
        Assert.Null(after.Records.Single(r => r.Record == records[2].Record).Handled);
        Assert.Equal(3, TopicReader.ReadAll(kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersReceived)).Count);
        Assert.Single(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived));
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notOne.StatusCode);
    }

    [Fact]
    public async Task AFailedEmailWhoseConfirmationTheOrderIndexNoLongerHoldsIsNotRedrivenAndTheAuditSaysWhy()
    {
        const int capacity = 1_000;
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        var order = Orders(1)[0];
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.PublishAsync(Topics.OrdersConfirmed, order.OrderId.ToString(), order, ContractsJsonContext.Default.OrderPlaced);
            foreach (var other in Orders(capacity))
            {
                producer.Produce(Topics.OrdersConfirmed, new Message<string, byte[]> { Key = other.OrderId.ToString(), Value = "{}"u8.ToArray() });
            }

            await producer.PublishAsync(Topics.EmailsFailed, order.OrderId.ToString(),
                new EmailFailed(order.OrderId, order.Customer.Email, DateTimeOffset.UtcNow, EmailFailureReasons.Rejected, "550 5.1.1 user unknown", 550),
                ContractsJsonContext.Default.EmailFailed);
        }

        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers, new() { ["Operations:OrderIndexCapacity"] = $"{capacity}" });
        var group = await WaitForGroupAsync(console, 1);
        await Eventually.WaitUntilAsync(
            () => console.GetAsync<List<TopicSummary>>("/api/topics").Result.Any(t => t.Name == Topics.OrdersConfirmed && t.Settled && t.Records == capacity + 1),
            Timeout, () => $"the console never read {Topics.OrdersConfirmed}");

        var redrive = await PostAsync(console, "/api/dead-letters/redrive", new DeadLetterSelection(group.Id, null));

        var outcome = Assert.Single(redrive.Records);
        Assert.Equal(AuditOutcomes.Failed, outcome.Outcome);
        Assert.Contains("OrderIndexCapacity", outcome.Detail);
        Assert.Equal(1, (await console.GetAsync<List<DeadLetterGroupView>>("/api/dead-letters")).Single().Unhandled);
        Assert.Single(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersConfirmed), r => r.Message.Key == order.OrderId.ToString());
    }

    internal static List<OrderPlaced> Orders(int count) => [.. Enumerable.Range(0, count).Select(_ => InProcessPipeline.NewOrder())];

    /// <summary>Dead-letters the orders as a consumer of orders.received would, through the pipeline's own dead-letter writer.</summary>
    internal static async Task WriteDeadLettersAsync(EmbeddedKafkaCluster kafka, IReadOnlyList<OrderPlaced> orders, Func<int, string> error, int[]? redriveCounts = null)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var deadLetters = new DeadLetters(ConsumerGroups.Transactions, NullLogger<DeadLetters>.Instance);
        for (var i = 0; i < orders.Count; i++)
        {
            var headers = new Headers();
            if (redriveCounts?[i] is > 0 and var count)
            {
                headers.Add("redrive.count", Encoding.UTF8.GetBytes(count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            var record = new ConsumeResult<string, byte[]>
            {
                Topic = Topics.OrdersReceived,
                Partition = new Partition(i % 3),
                Offset = new Offset(1000 + i),
                Message = new Message<string, byte[]>
                {
                    Key = orders[i].OrderId.ToString(),
                    Value = JsonSerializer.SerializeToUtf8Bytes(orders[i], ContractsJsonContext.Default.OrderPlaced),
                    Headers = headers,
                },
            };
            await deadLetters.PublishAsync(producer, record, new DeadLetterCause(DeadLetterReasons.Unprocessable, error(i), "System.InvalidOperationException"), CancellationToken.None);
        }
    }

    internal static async Task<DeadLetterGroupView> WaitForGroupAsync(OperationsApp console, int count)
    {
        DeadLetterGroupView? group = null;
        await Eventually.WaitUntilAsync(() => (group = console.GetAsync<List<DeadLetterGroupView>>("/api/dead-letters").Result.SingleOrDefault(g => g.Count == count)) is not null,
            Timeout, () => $"no group of {count} dead letters");
        return group!;
    }

    internal static async Task<DeadLetterActionResult> PostAsync(OperationsApp console, string path, DeadLetterSelection selection)
    {
        using var response = await console.Client.PostAsJsonAsync(path, selection);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<DeadLetterActionResult>())!;
    }

    /// <summary>One confirmation and one email per order, counted on what the consumers wrote and sent.</summary>
    internal static void AssertOncePerOrder(InProcessPipeline pipeline, IReadOnlyList<OrderPlaced> orders)
    {
        var confirmed = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed);
        Assert.Equal(orders.Select(o => o.OrderId).Order(), confirmed.Select(o => o.OrderId).Order());
        var sent = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length;
        Assert.Equal(orders.Count, sent);
        Assert.Equal(orders.Count, pipeline.Smtp.MessagesReceived);
    }
}
