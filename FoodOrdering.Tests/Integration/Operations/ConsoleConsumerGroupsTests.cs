using System.Net;
using System.Net.Http.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Operations.Groups;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration.Operations;

/// <summary>The console's consumer groups: lag in records, and offset resets, against the embedded broker.</summary>
public sealed class ConsoleConsumerGroupsTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task LagIsTheRecordsAReadCommittedReaderHasLeftAndZeroOnceAllAreConsumedThoughMarkersFollow()
    {
        const int orders = 103;
        const string group = "lag-test";
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.PublishAsync(Enumerable.Range(0, orders).Select(_ => InProcessPipeline.NewOrder()));
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count >= orders, Timeout, () => "not all confirmed");
        // Confirmations are readable as their transactions commit, the group's offsets only once it has committed them.
        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);
        var confirmed = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed);
        // A group that has consumed 40 records: committed is the next offset after each partition's last consumed one.
        var consumed = confirmed.OrderBy(r => r.Offset.Value).Take(40).ToList();
        Commit(pipeline.Kafka.BootstrapServers, group, consumed.GroupBy(r => r.Partition.Value).Select(p => new TopicPartitionOffset(Topics.OrdersConfirmed, p.Key, p.Max(r => r.Offset.Value) + 1)));
        var left = confirmed.Count(r => !consumed.Any(c => c.Partition == r.Partition && c.Offset.Value >= r.Offset.Value));
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        await ConsoleTopicsTests.WaitSettledAsync(console, Topics.OrdersConfirmed, orders);

        var partway = await console.GetAsync<GroupSummary>($"/api/consumer-groups/{group}");
        Commit(pipeline.Kafka.BootstrapServers, group, confirmed.GroupBy(r => r.Partition.Value).Select(p => new TopicPartitionOffset(Topics.OrdersConfirmed, p.Key, p.Max(r => r.Offset.Value) + 1)));
        var done = await console.GetAsync<GroupSummary>($"/api/consumer-groups/{group}");
        var transactions = await console.GetAsync<GroupSummary>($"/api/consumer-groups/{ConsumerGroups.Transactions}");

        Assert.Equal(left, partway.Lag);
        Assert.Equal(0, done.Lag);
        // Offsets say otherwise: the transaction marker after each partition's last record takes an offset.
        Assert.All(done.Topics.Single().Partitions, p => Assert.True(p.End > p.Committed, $"partition {p.Partition}: end {p.End}, committed {p.Committed}"));
        Assert.Equal(0, transactions.Lag);
        Assert.Contains(transactions.Topics, t => t.Topic == Topics.OrdersReceived);
    }

    [Fact]
    public async Task AGroupWithoutMembersIsResetAfterADryRunThatCountsTheRecordsToReadAgainAndIsAudited()
    {
        const string group = "reset-test";
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(1, 2, Topics.All);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                producer.Produce(Topics.OrdersRejected, new Message<string, byte[]> { Key = Guid.NewGuid().ToString(), Value = "{}"u8.ToArray() });
            }

            producer.Flush();
        }

        var all = TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersRejected);
        Commit(kafka.BootstrapServers, group, all.GroupBy(r => r.Partition.Value).Select(p => new TopicPartitionOffset(Topics.OrdersRejected, p.Key, p.Max(r => r.Offset.Value) + 1)));
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        await ConsoleTopicsTests.WaitSettledAsync(console, Topics.OrdersRejected, 30);

        using var dry = await console.Client.PostAsJsonAsync($"/api/consumer-groups/{group}/reset", new { to = "earliest" });
        var plan = await dry.Content.ReadFromJsonAsync<ResetResult>();
        var before = await console.GetAsync<GroupSummary>($"/api/consumer-groups/{group}");
        using var apply = await console.Client.PostAsJsonAsync($"/api/consumer-groups/{group}/reset", new { to = "earliest", dryRun = false });
        var after = await console.GetAsync<GroupSummary>($"/api/consumer-groups/{group}");
        using var bad = await console.Client.PostAsJsonAsync($"/api/consumer-groups/{group}/reset", new { to = "yesterday" });
        using var unknown = await console.Client.PostAsJsonAsync("/api/consumer-groups/no-such-group/reset", new { to = "earliest" });

        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.True(plan!.DryRun);
        Assert.Equal(30, plan.Partitions.Sum(p => p.Reread));
        Assert.Equal(0, before.Lag);
        Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
        Assert.Equal(30, after.Lag);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await Eventually.WaitUntilAsync(
            () => console.GetAsync<List<FoodOrdering.Operations.Audit.AuditEntry>>("/api/audit").Result.Any(e => e.Action == "reset-offsets" && e.Outcome == "done"),
            Timeout, () => "the reset is not in the audit");
    }

    [Fact]
    public async Task AResetIsRefusedWhileTheGroupHasMembers()
    {
        const string group = "busy-test";
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        using var member = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = group,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            FetchWaitMaxMs = 5,
        }).Build();
        member.Subscribe(Topics.OrdersRejected);
        await Eventually.WaitUntilAsync(() => { member.Consume(TimeSpan.FromMilliseconds(100)); return member.Assignment.Count > 0; }, Timeout, () => "the member got no partitions");
        member.Commit([new TopicPartitionOffset(Topics.OrdersRejected, 0, 0)]);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        await ConsoleTopicsTests.WaitSettledAsync(console, Topics.OrdersRejected, 0);

        using var reset = await console.Client.PostAsJsonAsync($"/api/consumer-groups/{group}/reset", new { to = "latest", dryRun = false });

        Assert.Equal(HttpStatusCode.Conflict, reset.StatusCode);
        member.Close();
    }

    private static void Commit(string bootstrapServers, string group, IEnumerable<TopicPartitionOffset> offsets)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group, EnableAutoCommit = false }).Build();
        consumer.Commit(offsets);
    }
}
