using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// Builds transactional producers with a fresh <c>transactional.id</c> each, <c>{prefix}-{worker}-{random}</c>.
/// Zombie fencing does not rest on a stable id: offsets are sent with the consumer group's metadata (KIP-447), so
/// the group's generation fences a worker that lost its partitions. A stable id would also need an identity per
/// replica that no two live processes share (replicas started side by side have none), or they would fence each
/// other in turn. A crashed worker's open transaction is aborted by the broker after <c>transaction.timeout.ms</c>,
/// which bounds how long read_committed readers wait behind it.
/// </summary>
public sealed class KafkaTransactionalProducerFactory : ITransactionalProducerFactory
{
    private readonly ProducerConfig _config;
    private readonly string _transactionalIdPrefix;
    private readonly Action<IClient, LogMessage> _log;
    private readonly Action<IClient, Error> _errors;

    internal KafkaTransactionalProducerFactory(ProducerConfig config, string transactionalIdPrefix, Action<IClient, LogMessage> log, Action<IClient, Error> errors)
    {
        _config = config;
        _transactionalIdPrefix = transactionalIdPrefix;
        _log = log;
        _errors = errors;
    }

    /// <inheritdoc cref="ITransactionalProducerFactory.Create" />
    public KafkaTransactionalProducer Create(TimeSpan initTimeout, int worker = 0)
    {
        var config = new ProducerConfig(_config.ToDictionary(pair => pair.Key, pair => pair.Value))
        {
            ClientId = $"{_config.ClientId}-{worker}",
            TransactionalId = $"{_transactionalIdPrefix}-{worker}-{Guid.NewGuid():N}",
        };
        var producer = new KafkaTransactionalProducer(new ProducerBuilder<string, byte[]>(config).SetLogHandler(_log).SetErrorHandler(_errors).Build());
        try
        {
            producer.InitTransactions(initTimeout);
            return producer;
        }
        catch
        {
            producer.Dispose();
            throw;
        }
    }

    ITransactionalProducer ITransactionalProducerFactory.Create(TimeSpan initTimeout, int worker) => Create(initTimeout, worker);
}
