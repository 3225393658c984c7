using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MimeKit;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// Two Emails replicas in one consumer group sharing the partitions of orders.confirmed, as
/// <c>--Emails:Replicas 2</c> runs them, through a replica joining and one leaving mid-stream.
/// </summary>
public sealed class EmailsReplicasTests(ITestOutputHelper output)
{
    private const int Wave = 100;
    private const int EmailedEventId = 3002;

    // What one Emails consume batch holds with the default 4 SMTP connections.
    private const int EmailsBatch = 64;
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    private static readonly Dictionary<string, string?> ShortSessions = new()
    {
        // The mock broker ends a rebalance when its timer runs out (the session timeout less a second), not when
        // every member has rejoined: a short session keeps each rebalance about two seconds long instead of 44.
        ["Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs"] = "3000",
        ["Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs"] = "500",
        // The auto-commit timer does not get to run during the test: what a replica emailed is committed when its
        // partitions move or it leaves, or not at all.
        ["Aspire:Confluent:Kafka:Consumer:Config:AutoCommitIntervalMs"] = "600000",
    };

    [Fact]
    public async Task TwoReplicasSharingOrdersConfirmedEmailEveryOrderOnceThroughAJoinAndALeave()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var first = await pipeline.StartEmailsAsync(ShortSessions, minimumLogLevel: LogLevel.Debug);
        var expected = new List<OrderConfirmed>();

        await PublishWaveAsync(pipeline, expected);
        await Eventually.WaitUntilAsync(() => Emailed(first) >= Wave / 2, Timeout, () => $"the first replica emailed {Emailed(first)} of {Wave}");
        // The second replica joins mid-stream: partitions the first has been emailing from move to it. The first
        // commits on revocation while the newcomer may not have synced yet, which the coordinator refuses.
        pipeline.Kafka.InjectRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.RebalanceInProgress, ErrorCode.RebalanceInProgress);
        var second = await pipeline.StartEmailsAsync(ShortSessions, minimumLogLevel: LogLevel.Debug);
        await Eventually.WaitUntilAsync(() => Assignment(second) > 0, Timeout, () => "the second replica was given no partition");
        await PublishWaveAsync(pipeline, expected);
        await WaitForAllAsync(pipeline, expected.Count);
        var secondBefore = Emailed(second);
        // The first one leaves (a graceful stop commits and leaves the group); the second takes every partition.
        await first.StopAsync();
        await PublishWaveAsync(pipeline, expected);
        await WaitForAllAsync(pipeline, expected.Count);
        var emails = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length;
        await second.StopAsync();
        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Emails, Topics.OrdersConfirmed, Timeout);

        output.WriteLine($"{expected.Count} orders, {emails} emails ({Emailed(first)} by the first replica, {Emailed(second)} by the second)");
        Assert.Equal(expected.Select(order => $"order-{order.OrderId:N}@foodordering.example").Order(), EmailedOrders(pipeline).Order());
        Assert.True(secondBefore > 0, "the second replica emailed nothing while both ran");
        Assert.True(Emailed(second) - secondBefore >= Wave, "after the first replica left, the second did not email the last wave");
        // A partition moves only after its stored offsets are committed, so a rebalance repeats nothing in most runs;
        // under a loaded machine a part of one batch was seen sent again (33-35). Without that commit: 168.
        Assert.InRange(emails - expected.Count, 0, EmailsBatch);
    }

    private static async Task PublishWaveAsync(InProcessPipeline pipeline, List<OrderConfirmed> expected)
    {
        var wave = Enumerable.Range(0, Wave).Select(i => InProcessPipeline.NewConfirmedOrder($"customer-{expected.Count + i}@example.com")).ToList();
        expected.AddRange(wave);
        await pipeline.PublishConfirmedAsync(wave);
    }

    private static Task WaitForAllAsync(InProcessPipeline pipeline, int count) =>
        Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= count && EmailedOrders(pipeline).Count >= count, Timeout,
            () => $"{EmailedOrders(pipeline).Count} of {count} orders emailed");

    private static int Assignment(IHost replica) =>
        replica.Services.GetRequiredKeyedService<IConsumer<string, byte[]>>(ConsumerGroups.Emails).Assignment.Count;

    private static int Emailed(IHost replica) =>
        replica.Services.GetFakeLogCollector().GetSnapshot().Count(record => record.Id.Id == EmailedEventId);

    private static HashSet<string> EmailedOrders(InProcessPipeline pipeline) =>
        [.. Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path).MessageId ?? "")];
}
