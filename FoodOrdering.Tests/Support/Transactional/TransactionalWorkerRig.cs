using System.Diagnostics.Metrics;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded.Clients;
using FoodOrdering.Kafka;
using FoodOrdering.Transactions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Tests.Support.Transactional;

/// <summary>
/// One <see cref="TransactionalOrderWorker"/> as the service builds it — its consume loop, delivery, order id
/// ledger, pricing and rebalance handlers — on fake clients: a <see cref="FakeOrdersConsumer"/> holding two partitions
/// of <see cref="Topics.OrdersReceived"/> and fake transactional producers writing to a <see cref="FakeTransactionLog"/>.
/// </summary>
internal sealed class TransactionalWorkerRig : IAsyncDisposable
{
    public static readonly TopicPartition First = new(Topics.OrdersReceived, 0);
    public static readonly TopicPartition Second = new(Topics.OrdersReceived, 1);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _services;
    private readonly TransactionalOrderWorker _worker;
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    /// <param name="maxBatchSize">Orders per transaction at most.</param>
    /// <param name="onMockBroker">As librdkafka's mock broker: offsets sent to a transaction are not stored.</param>
    /// <param name="withDirectOffsetCommits">The embedded mode's stand-in for that (FoodOrdering.Embedded.Clients) on both clients.</param>
    public TransactionalWorkerRig(int maxBatchSize = 10, bool onMockBroker = false, bool withDirectOffsetCommits = false)
    {
        (var consumer, Consumer) = FakeOrdersConsumer.Create(Log, First, Second);
        Consumer.StoresTransactionalOffsets = !onMockBroker;
        Producers = new FakeTransactionalProducers(Log);
        var processing = new OrderProcessingOptions { MaxBatchSize = maxBatchSize, MaxBatchWait = TimeSpan.FromMilliseconds(20), TransactionTimeout = TimeSpan.FromSeconds(5) };
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IMeterFactory>(new NoMeterFactory())
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { ApplicationName = "FoodOrdering.Transactions" })
            .AddSingleton(Options.Create(processing))
            .AddSingleton(Options.Create(new PricingOptions()))
            .AddSingleton<ITransactionalProducerFactory>(withDirectOffsetCommits ? new DirectlyCommittingProducerFactory(Producers) : Producers)
            .AddSingleton<ConsumptionStates>()
            .AddSingleton<OrderPricer>()
            .AddSingleton<OrderRecordProcessor>()
            .AddSingleton<TransactionsMetrics>()
            .AddKeyedSingleton(ConsumerGroups.Transactions, (sp, _) => new DeadLetters(ConsumerGroups.Transactions, NullLogger<DeadLetters>.Instance))
            .BuildServiceProvider();
        var consumers = new KafkaConsumerFactory<string, byte[]>(ConsumerGroups.Transactions, _ => Monitor(), (_, _, configure) =>
        {
            var builder = new CapturingConsumerBuilder();
            configure?.Invoke(builder);
            builder.HandOver(Consumer);
            return consumer;
        });
        if (withDirectOffsetCommits)
        {
            consumers = EmbeddedBrokerOffsetCommitsExtensions.Decorated(consumers, NullLogger.Instance);
        }

        var claimsReaders = new KafkaConsumerFactory<string, byte[]>("claims", _ => Monitor(), (_, _, _) => FakeClaimsReader.Create(Log));
        _worker = new TransactionalOrderWorker(0, consumers, claimsReaders, _services, processing, NullLogger.Instance);
    }

    public FakeTransactionLog Log { get; } = new();

    public FakeOrdersConsumer Consumer { get; }

    public FakeTransactionalProducers Producers { get; }

    public Task Running => _running ?? throw new InvalidOperationException("Not started.");

    /// <summary>New orders, put on the two partitions in turn, keyed by their ids as the Producer keys them.</summary>
    public List<OrderPlaced> Receive(int count)
    {
        var orders = Enumerable.Range(0, count).Select(_ => InProcessPipeline.NewOrder()).ToList();
        for (var i = 0; i < orders.Count; i++)
        {
            Consumer.Append(i % 2 == 0 ? First : Second, orders[i].OrderId.ToString(), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(orders[i], ContractsJsonContext.Default.OrderPlaced));
        }

        return orders;
    }

    public void Start() => _running = _worker.RunAsync(_stop.Token);

    /// <summary>Stops the worker as the host does, waits for its loop to end, and leaves the group.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Running.WaitAsync(StopTimeout);
        _worker.Leave();
    }

    /// <summary>The ids of the orders on committed <c>orders.confirmed</c> records, one per record.</summary>
    public List<Guid> ConfirmedIds() =>
        [.. Log.CommittedRecords(Topics.OrdersConfirmed).Select(record => System.Text.Json.JsonSerializer.Deserialize(record.Value, ContractsJsonContext.Default.OrderConfirmed)!.OrderId)];

    public async ValueTask DisposeAsync()
    {
        if (_running is { IsCompleted: false })
        {
            await _stop.CancelAsync();
            await Task.WhenAny(_running, Task.Delay(StopTimeout));
        }

        _stop.Dispose();
        await _services.DisposeAsync();
    }

    private static KafkaConsumerMonitor Monitor() => new(ConsumerGroups.Transactions, TimeSpan.FromMinutes(1), statisticsEnabled: false);
}
