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

    // What DirectOffsetCommits logs when the coordinator refuses a commit outside the transaction.
    private const string RefusedCommitAfterTransaction = "Committing offsets outside the transaction failed";
    private static readonly TimeSpan Timeout = TestTimeouts.Recovery;

    [Fact]
    public async Task NoOrderIsLostWhenTheWorkerIsKilledThreeTimesMidStream()
    {
        const int kills = 3;
        // 20,000 confirmations and the cut-off transactions' records would pass the embedded broker's 5 MiB on 3 partitions.
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync(partitions: 6);
        var bootstrap = pipeline.Kafka.BootstrapServers;
        var atStarts = new List<(Dictionary<int, (long Committed, long End)> Received, Dictionary<int, (long Committed, long End)> Confirmed)>();
        var refusedCommits = 0;

        var expected = await StreamThroughStoppedWorkersAsync(pipeline, orders: 20_000, ordersPerSecond: 800, stops: kills, worker =>
        {
            worker.Kill();
            return Task.CompletedTask;
        },
        // Nobody commits for the group between a kill and the next start: the new worker resumes from what is read here.
        beforeStart: () => atStarts.Add((ConsumerGroupOffsets.Now(bootstrap, ConsumerGroups.Transactions, Topics.OrdersReceived),
            ConsumerGroupOffsets.Now(bootstrap, ConsumerGroups.Transactions, Topics.OrdersConfirmed))),
        ended: worker => refusedCommits += worker.LinesContaining(RefusedCommitAfterTransaction));

        // While every commit outside the transaction lands, a kill cuts off only the one open transaction of each
        // worker. Once one was refused, what the worker did since its last landed commit is done again by the
        // partition's next owner, and no count bounds that; each repeat is still checked to lie past a committed offset.
        output.WriteLine($"{refusedCommits} commits outside the transaction refused");
        AssertEveryOrderPricedOnce(bootstrap, expected, maxDuplicates: refusedCommits == 0 ? kills * Workers * MaxBatchSize : expected.Count);
        AssertEveryRepeatWasPastACommittedOffset(bootstrap, atStarts);
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
            Assert.Equal(0, await worker.TerminateAsync(TestTimeouts.PipelineStep)));

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
        InProcessPipeline pipeline, int orders, int ordersPerSecond, int stops, Func<ServiceProcess, Task> stop,
        Action? beforeStart = null, Action<ServiceProcess>? ended = null)
    {
        var bootstrap = pipeline.Kafka.BootstrapServers;
        using var confirmedSoFar = new TopicCounter(bootstrap, Topics.OrdersConfirmed);
        using var endOfStream = new CancellationTokenSource();
        var publishing = pipeline.StreamOrdersAsync(ordersPerSecond, atLeast: orders, endOfStream.Token);

        for (var round = 1; round <= stops; round++)
        {
            beforeStart?.Invoke();
            using var worker = ServiceProcess.Start(ServiceProcess.Transactions, bootstrap, Settings());
            await worker.Started.WaitAsync(Timeout);
            var target = confirmedSoFar.Count + 1_000;
            await Eventually.WaitUntilAsync(() => confirmedSoFar.Count >= target, Timeout,
                () => $"{confirmedSoFar.Count} of {target} confirmed before stop {round}");
            await stop(worker);
            ended?.Invoke(worker);
            output.WriteLine($"stop {round} at {confirmedSoFar.Count} confirmations");
            Assert.False(publishing.IsCompleted, $"publishing failed before stop {round}: {publishing.Exception}");
        }

        await endOfStream.CancelAsync();
        var expected = await publishing;
        beforeStart?.Invoke();
        using (var last = ServiceProcess.Start(ServiceProcess.Transactions, bootstrap, Settings()))
        {
            await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(bootstrap, ConsumerGroups.Transactions, Topics.OrdersReceived, Timeout);
            ended?.Invoke(last);
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

    /// <summary>
    /// Each start of a worker process hands partitions over — from the killed process, and between the new process's
    /// consumers as they join — and each new owner resumes from the group's committed offset then, so the only orders
    /// priced a second time by a worker lie at or past the committed offset of their partition when it started (a
    /// first worker, with nothing committed, may repeat any of them). On the mock broker,
    /// with <c>CommitOffsetsAfterTransaction</c>, that is more than the transaction a kill cut off (its records stay
    /// visible): a commit outside the transaction that the coordinator refuses (as it does while the group
    /// rebalances) is retried only on the next pass, and one refused as partitions are revoked is dropped, so the
    /// transactions committed since the last landed commit are past the committed offset too.
    /// </summary>
    private void AssertEveryRepeatWasPastACommittedOffset(
        string bootstrap, IReadOnlyList<(Dictionary<int, (long Committed, long End)> Received, Dictionary<int, (long Committed, long End)> Confirmed)> atStarts)
    {
        var received = TopicReader.ReadAll(bootstrap, Topics.OrdersReceived).ToDictionary(record => record.Message.Key, record => record.TopicPartitionOffset);
        // A repeat was written by the worker started last before it: the one whose start saw orders.confirmed end before it.
        var unexplained = TopicReader.ReadAll(bootstrap, Topics.OrdersConfirmed)
            .GroupBy(record => record.Message.Key)
            .SelectMany(same => same.OrderBy(record => record.Offset.Value).Skip(1))
            .Select(repeat => (Order: received[repeat.Message.Key], Start: atStarts.Last(start => start.Confirmed[repeat.Partition.Value].End <= repeat.Offset.Value)))
            .Where(repeat => repeat.Order.Offset.Value < repeat.Start.Received[repeat.Order.Partition.Value].Committed)
            .ToList();
        output.WriteLine($"records past the committed offsets at each start: {string.Join(", ", atStarts.Select(start => start.Received.Values.Sum(p => p.End - Math.Max(0, p.Committed))))}");

        Assert.True(unexplained.Count == 0, $"{unexplained.Count} orders were priced again by a worker that started past them: "
            + string.Join(", ", unexplained.Take(5).Select(repeat => $"{repeat.Order} with {repeat.Start.Received[repeat.Order.Partition.Value].Committed} committed")));
    }

    private static Dictionary<string, string> Settings() => new()
    {
        ["OrderProcessing__MaxBatchSize"] = MaxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OrderProcessing__Workers"] = Workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The mock broker acknowledges transactional offset commits without storing them (see FoodOrdering.Embedded.Clients).
        ["EmbeddedBroker__CommitOffsetsAfterTransaction"] = "true",
    };
}
