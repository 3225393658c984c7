using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using MimeKit;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// The whole pipeline (Transactions and Emails in this process) on a three-broker embedded cluster while it
/// misbehaves: failed requests of every kind the services send, leaders moving, a broker gone for ten seconds.
/// The services must recover on their own and lose nothing.
/// </summary>
public sealed class BrokerFaultTests(ITestOutputHelper output)
{
    private const int Orders = 3_000;
    private static readonly TimeSpan Timeout = TestTimeouts.Recovery;

    [Fact]
    public async Task NothingIsLostThroughRequestErrorsLeaderChangesAndABrokerDownForTenSeconds()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync(brokers: 3);
        var kafka = pipeline.Kafka;

        // The groups must form through coordinator errors.
        kafka.InjectRequestErrors(KafkaApiKey.JoinGroup, ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.NotCoordinatorForGroup, ErrorCode.GroupLoadInProgress);
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        using var confirmedSoFar = new TopicCounter(kafka.BootstrapServers, Topics.OrdersConfirmed);
        var publishing = pipeline.StreamOrdersAsync(ordersPerSecond: 300, atLeast: Orders, new CancellationToken(canceled: true));

        await Eventually.WaitUntilAsync(() => confirmedSoFar.Count >= 500, Timeout, () => $"{confirmedSoFar.Count} of 500 confirmed");
        kafka.InjectRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.RequestTimedOut, ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.NotCoordinatorForGroup);
        kafka.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
        kafka.InjectRequestErrors(KafkaApiKey.Fetch, ErrorCode.NotLeaderForPartition, ErrorCode.UnknownTopicOrPart);
        kafka.InjectRequestErrors(KafkaApiKey.AddOffsetsToTxn, ErrorCode.GroupCoordinatorNotAvailable);
        kafka.InjectRequestErrors(KafkaApiKey.EndTxn, ErrorCode.NotCoordinatorForGroup);
        kafka.SetPartitionLeader(Topics.OrdersReceived, 0, 2);
        kafka.SetPartitionLeader(Topics.OrdersConfirmed, 1, 3);

        await Eventually.WaitUntilAsync(() => confirmedSoFar.Count >= 1_200, Timeout, () => $"{confirmedSoFar.Count} of 1200 confirmed after the faults");
        kafka.SetBrokerDown(1);
        output.WriteLine($"broker 1 down at {confirmedSoFar.Count} confirmations");
        await Task.Delay(TimeSpan.FromSeconds(10)); // the outage itself, not a wait for something to happen
        kafka.SetBrokerUp(1);
        output.WriteLine($"broker 1 up at {confirmedSoFar.Count} confirmations");

        var expected = await publishing;
        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(kafka.BootstrapServers, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout,
            () => pipeline.RecentLogs());
        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= Orders, Timeout,
            () => $"{pipeline.Smtp.MessagesReceived} of {Orders} emails{Environment.NewLine}{pipeline.RecentLogs()}");

        var confirmed = TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed);
        var confirmedIds = confirmed.Select(order => order.OrderId).ToHashSet();
        var emailed = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path).MessageId).ToList();
        output.WriteLine($"{Orders} orders: {confirmed.Count} confirmation records ({confirmed.Count - confirmedIds.Count} from aborted transactions the mock shows), {emailed.Count} emails ({emailed.Count - emailed.Distinct().Count()} repeated)");

        Assert.All(expected, order => Assert.Contains(order.OrderId, confirmedIds));
        Assert.Equal(Orders, confirmedIds.Count);
        Assert.Equal(Orders, emailed.Distinct().Count());
    }
}
