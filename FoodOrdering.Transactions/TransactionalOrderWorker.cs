using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Transactions.OrderIds;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions;

/// <summary>
/// One worker pricing <see cref="Topics.OrdersReceived"/> exactly once: a member of the consumer group with the
/// consume loop, its own <see cref="TransactionalOrderDelivery"/> (and so its own transactional producer), its own
/// <see cref="OrderIdLedger"/> and its own rebalance state. It transacts only over the partitions the group assigned to its consumer.
/// </summary>
internal sealed class TransactionalOrderWorker
{
    private readonly int _index;
    private readonly KafkaConsumeLoop _loop;
    private readonly ILogger _logger;

    public TransactionalOrderWorker(int index, KafkaConsumerFactory<string, byte[]> consumers, KafkaConsumerFactory<string, byte[]> claimsReaders, IServiceProvider services, OrderProcessingOptions options, ILogger logger)
    {
        var revocations = new RevocationWatch();
        OrderIdLedger? ledger = null;
        void Moved(List<TopicPartitionOffset> partitions)
        {
            ledger?.Forget(partitions.Select(partition => partition.TopicPartition));
            revocations.Revoked();
        }

        var member = consumers.Create(index, consumer => consumer
            .SetPartitionsRevokedHandler((_, partitions) => Moved(partitions))
            .SetPartitionsLostHandler((_, partitions) => Moved(partitions)));
        ledger = new OrderIdLedger(
            member.Consumer,
            claimsReaders.Create(index).Consumer,
            services.GetRequiredService<IOptions<OrderProcessingOptions>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<OrderIdLedger>>());
        var delivery = ActivatorUtilities.CreateInstance<TransactionalOrderDelivery>(services, index, member.Consumer, revocations, ledger);
        _index = index;
        _logger = logger;
        _loop = new KafkaConsumeLoop(member.Consumer, member.Monitor, delivery, new KafkaConsumeLoopOptions(Topics.OrdersReceived, ConsumerGroups.Transactions, OffsetCommit.InTransaction)
        {
            MaxBatchSize = options.MaxBatchSize,
            MaxBatchWait = options.MaxBatchWait,
            CommittedTimeout = options.TransactionTimeout,
            LeaveGroupOnStop = false,
            Switch = new ConsumptionSwitch(ConsumerGroups.Transactions, services.GetRequiredService<ConsumptionStates>()),
        }, logger);
    }

    /// <summary>
    /// Runs until <paramref name="stoppingToken"/> is cancelled or a fatal error, its last transaction committed or
    /// aborted; its logs name the worker. The consumer stays in the group until <see cref="Leave"/>.
    /// </summary>
    public Task RunAsync(CancellationToken stoppingToken)
    {
        using (Scope())
        {
            return _loop.RunAsync(stoppingToken);
        }
    }

    public void Leave()
    {
        using (Scope())
        {
            _loop.Leave();
        }
    }

    private IDisposable? Scope() => _logger.BeginScope(new Dictionary<string, object?> { ["Worker"] = _index });
}
