using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions;

/// <summary>Prices <see cref="Topics.OrdersReceived"/> exactly once: the consume loop with <see cref="TransactionalOrderDelivery"/>.</summary>
internal sealed class TransactionalOrderWorker(
    [FromKeyedServices(ConsumerGroups.Transactions)] IConsumer<string, byte[]> consumer,
    [FromKeyedServices(ConsumerGroups.Transactions)] KafkaConsumerMonitor monitor,
    TransactionalOrderDelivery delivery,
    IOptions<OrderProcessingOptions> options,
    ILogger<TransactionalOrderWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new KafkaConsumeLoop(consumer, monitor, delivery, new KafkaConsumeLoopOptions(Topics.OrdersReceived, ConsumerGroups.Transactions, OffsetCommit.InTransaction)
        {
            MaxBatchSize = options.Value.MaxBatchSize,
            MaxBatchWait = options.Value.MaxBatchWait,
            CommittedTimeout = options.Value.TransactionTimeout,
        }, logger).RunAsync(stoppingToken);
}
