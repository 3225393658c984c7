using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// Every received order ends in exactly one of orders.confirmed / orders.rejected, through crashes and broker
/// faults. librdkafka's mock broker does not hide the records of aborted or abandoned transactions from
/// read_committed readers (its Fetch reports no aborted transactions), so on it these tests prove no loss exactly
/// and bound the duplicates to the transactions that were cut off; against real Kafka the bound is zero.
/// </summary>
public sealed class ExactlyOnceTests(ITestOutputHelper output)
{
    private const int MaxBatchSize = 500;
    private const int Workers = 2;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task NoOrderIsLostWhenTheWorkerIsKilledThreeTimesMidStream()
    {
        const int kills = 3;
        // 20,000 confirmations and the cut-off transactions' records would pass the embedded broker's 5 MiB on 3 partitions.
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync(partitions: 6);

        var expected = await StreamThroughStoppedWorkersAsync(pipeline, orders: 20_000, ordersPerSecond: 800, stops: kills, worker =>
        {
            worker.Kill();
            return Task.CompletedTask;
        });

        // Each kill cuts off at most one open transaction per worker.
        AssertEveryOrderPricedOnce(pipeline.Kafka.BootstrapServers, expected, maxDuplicates: kills * Workers * MaxBatchSize);
    }

    [Fact]
    public async Task NoOrderIsLostWhenOneOfThreeReplicasIsKilledMidStream()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var bootstrap = pipeline.Kafka.BootstrapServers;
        using var confirmedSoFar = new TopicCounter(bootstrap, Topics.OrdersConfirmed);
        using var endOfStream = new CancellationTokenSource();
        var publishing = pipeline.StreamOrdersAsync(ordersPerSecond: 800, atLeast: 8_000, endOfStream.Token);

        // As --Transactions:Replicas 3 runs them: one consumer group, each replica holding one of the three partitions.
        var replicas = Enumerable.Range(0, 3).Select(_ => ServiceProcess.Start(ServiceProcess.Transactions, bootstrap, Settings())).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(replica => replica.Started)).WaitAsync(Timeout);
            await Eventually.WaitUntilAsync(() => confirmedSoFar.Count >= 1_500, Timeout, () => $"{confirmedSoFar.Count} of 1,500 confirmed");
            // While the group still rebalances after the replicas joined, the broker refuses offset commits; on the
            // mock broker, which keeps only the commits made outside the transaction, a kill then would replay
            // every order since the last one that landed (2,171 duplicates, once, under a loaded machine).
            await ConsumerGroupOffsets.WaitUntilWithinAsync(bootstrap, ConsumerGroups.Transactions, Topics.OrdersReceived, maxLag: MaxBatchSize, Timeout);
            replicas[1].Kill();
            var target = confirmedSoFar.Count + 2_000;
            output.WriteLine($"replica 2 killed at {confirmedSoFar.Count} confirmations");
            // The two left take over its partition once its session times out; orders keep arriving all along.
            await Eventually.WaitUntilAsync(() => confirmedSoFar.Count >= target, Timeout, () => $"{confirmedSoFar.Count} of {target} confirmed after the kill");

            await endOfStream.CancelAsync();
            var expected = await publishing;
            await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(bootstrap, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);
            Assert.False(replicas[0].HasExited || replicas[2].HasExited, "a surviving replica died");
            // Duplicates only from the killed replica's open transaction, visible on the mock broker (see above).
            AssertEveryOrderPricedOnce(bootstrap, expected, maxDuplicates: Workers * MaxBatchSize);
        }
        finally
        {
            replicas.ForEach(replica => replica.Dispose());
        }
    }

    [Fact]
    public async Task AGracefulStopMidStreamCommitsCleanlySoEveryOrderIsPricedExactlyOnce()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();

        var expected = await StreamThroughStoppedWorkersAsync(pipeline, orders: 8_000, ordersPerSecond: 1_000, stops: 2, async worker =>
            Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(30))));

        // A clean stop leaves no transaction open or aborted, so even the mock broker shows each order exactly once.
        AssertEveryOrderPricedOnce(pipeline.Kafka.BootstrapServers, expected, maxDuplicates: 0);
    }

    [Fact]
    public async Task NoOrderIsLostWhileTheBrokerFailsProduceAndTransactionRequests()
    {
        const int orders = 3_000;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var bootstrap = pipeline.Kafka.BootstrapServers;
        var expected = Enumerable.Range(0, orders).Select(_ => InProcessPipeline.NewOrder()).ToList();
        await pipeline.PublishAsync(expected[..1_000]);
        using var worker = ServiceProcess.Start(ServiceProcess.Transactions, bootstrap, Settings());
        using var confirmedSoFar = new TopicCounter(bootstrap, Topics.OrdersConfirmed);
        await Eventually.WaitUntilAsync(() => confirmedSoFar.Count >= 500, Timeout, () => $"{confirmedSoFar.Count} of 500 confirmed");

        // Retriable faults the client must ride out, then ones that force the open transaction to abort.
        pipeline.Kafka.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut, ErrorCode.NotEnoughReplicas);
        pipeline.Kafka.InjectRequestErrors(KafkaApiKey.AddOffsetsToTxn, ErrorCode.GroupLoadInProgress, ErrorCode.NotCoordinatorForGroup);
        pipeline.Kafka.InjectRequestErrors(KafkaApiKey.TxnOffsetCommit, ErrorCode.GroupLoadInProgress, ErrorCode.UnknownMemberId);
        pipeline.Kafka.InjectRequestErrors(KafkaApiKey.EndTxn, ErrorCode.NotCoordinatorForGroup, ErrorCode.ConcurrentTransactions);
        pipeline.Kafka.InjectRequestErrors(KafkaApiKey.Fetch, ErrorCode.NotLeaderForPartition, ErrorCode.UnknownTopicOrPart);
        await pipeline.PublishAsync(expected[1_000..]);

        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(bootstrap, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);
        Assert.False(worker.HasExited, "the worker died instead of recovering");
        AssertEveryOrderPricedOnce(bootstrap, expected, maxDuplicates: 4 * MaxBatchSize);
    }

    /// <summary>
    /// Streams at least <paramref name="orders"/> orders, and on until a Transactions process has been started and
    /// stopped <paramref name="stops"/> times, each time after it confirmed another thousand; then lets a last one
    /// run until the group has committed everything. Returns the orders streamed.
    /// </summary>
    private async Task<List<OrderPlaced>> StreamThroughStoppedWorkersAsync(
        InProcessPipeline pipeline, int orders, int ordersPerSecond, int stops, Func<ServiceProcess, Task> stop)
    {
        var bootstrap = pipeline.Kafka.BootstrapServers;
        using var confirmedSoFar = new TopicCounter(bootstrap, Topics.OrdersConfirmed);
        using var endOfStream = new CancellationTokenSource();
        var publishing = pipeline.StreamOrdersAsync(ordersPerSecond, atLeast: orders, endOfStream.Token);

        for (var round = 1; round <= stops; round++)
        {
            using var worker = ServiceProcess.Start(ServiceProcess.Transactions, bootstrap, Settings());
            await worker.Started.WaitAsync(Timeout);
            var target = confirmedSoFar.Count + 1_000;
            await Eventually.WaitUntilAsync(() => confirmedSoFar.Count >= target, Timeout,
                () => $"{confirmedSoFar.Count} of {target} confirmed before stop {round}");
            await stop(worker);
            output.WriteLine($"stop {round} at {confirmedSoFar.Count} confirmations");
            Assert.False(publishing.IsCompleted, $"publishing failed before stop {round}: {publishing.Exception}");
        }

        await endOfStream.CancelAsync();
        var expected = await publishing;
        using (ServiceProcess.Start(ServiceProcess.Transactions, bootstrap, Settings()))
        {
            await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(bootstrap, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);
        }

        return expected;
    }

    private void AssertEveryOrderPricedOnce(string bootstrap, List<OrderPlaced> expected, int maxDuplicates)
    {
        var confirmed = TopicReader.ReadAll(bootstrap, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed);
        var rejected = TopicReader.ReadAll(bootstrap, Topics.OrdersRejected, ContractsJsonContext.Default.OrderRejected);
        var outcomes = confirmed.Select(order => order.OrderId).Concat(rejected.Select(order => order.OrderId)).ToList();
        var distinct = outcomes.ToHashSet();
        var missing = expected.Count(order => !distinct.Contains(order.OrderId));
        var duplicates = outcomes.Count - distinct.Count;
        output.WriteLine($"{expected.Count} orders in; {confirmed.Count} confirmed and {rejected.Count} rejected records; {missing} missing; {duplicates} duplicate records");

        Assert.Equal(0, missing);
        Assert.Equal(expected.Count, distinct.Count);
        Assert.InRange(duplicates, 0, maxDuplicates);
        Assert.Empty(TopicReader.ReadAll(bootstrap, Topics.DeadLetter(Topics.OrdersReceived)));
    }

    private static Dictionary<string, string> Settings() => new()
    {
        ["OrderProcessing__MaxBatchSize"] = MaxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OrderProcessing__Workers"] = Workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The mock broker acknowledges transactional offset commits without storing them (see FoodOrdering.Embedded.Clients).
        ["OrderProcessing__CommitOffsetsAfterTransaction"] = "true",
    };
}
