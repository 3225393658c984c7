using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Transactions.OrderIds;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions;

/// <summary>
/// Runs <see cref="OrderProcessingOptions.Workers"/> <see cref="TransactionalOrderWorker"/>s side by side, so one
/// prices while another waits for its transaction. A worker that stops on a fatal error stops the others, and the
/// error stops the service, as with a single worker. On stop every worker finishes its batch before any leaves the
/// group: a member leaving rebalances the rest, which would abort a transaction still committing.
/// </summary>
internal sealed partial class TransactionalOrderWorkers(
    [FromKeyedServices(ConsumerGroups.Transactions)] KafkaConsumerFactory<string, byte[]> consumers,
    [FromKeyedServices(OrderIdLedger.ClaimsReaderName)] KafkaConsumerFactory<string, byte[]> claimsReaders,
    IServiceProvider services,
    IOptions<OrderProcessingOptions> options,
    ILogger<TransactionalOrderWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, options.Value.Workers)
            .Select(index => new TransactionalOrderWorker(index, consumers, claimsReaders, services, options.Value, logger))
            .ToList();
        return RunAllAsync(workers, stoppingToken);
    }

    private async Task RunAllAsync(List<TransactionalOrderWorker> workers, CancellationToken stoppingToken)
    {
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        try
        {
            await Task.WhenAll(workers.Select(worker => RunAsync(worker, stopAll)));
        }
        finally
        {
            foreach (var worker in workers)
            {
                Leave(worker);
            }
        }
    }

    private static async Task RunAsync(TransactionalOrderWorker worker, CancellationTokenSource stopAll)
    {
        try
        {
            await worker.RunAsync(stopAll.Token);
        }
        catch
        {
            await stopAll.CancelAsync();
            throw;
        }
    }

    private void Leave(TransactionalOrderWorker worker)
    {
        try
        {
            worker.Leave();
        }
        catch (KafkaException e)
        {
            // The group drops a member that did not leave after its session timeout; the others still leave.
            LogLeaveFailed(logger, e, e.Error.Reason);
        }
    }

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "Leaving the consumer group failed ({Reason})")]
    private static partial void LogLeaveFailed(ILogger logger, Exception exception, string reason);
}
