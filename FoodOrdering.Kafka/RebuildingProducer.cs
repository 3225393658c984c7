using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

/// <summary>
/// The plain producer a service registers: it forwards to a Confluent producer and builds a new one when that one
/// failed fatally (an idempotent producer that lost its sequence, say, refuses every message from then on), and
/// it remembers how recent deliveries went, for <see cref="KafkaProducerHealthCheck"/>.
/// </summary>
/// <remarks>
/// A replaced producer is flushed (its messages fail or land within <c>message.timeout.ms</c>) and disposed in
/// the background, so a caller awaiting one of its deliveries still gets its answer. Transactions are not carried
/// over to a new producer: transactional work goes through <see cref="KafkaTransactionalProducerFactory"/>.
/// </remarks>
internal sealed partial class RebuildingProducer<TKey, TValue> : IProducer<TKey, TValue>
{
    private readonly Func<Action<Error>, IProducer<TKey, TValue>> _build;
    private readonly TimeSpan _retireTimeout;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<Task> _retiring = [];
    private volatile Generation _current;
    private bool _disposed;

    /// <param name="build">Builds a producer whose error handler calls the given action.</param>
    /// <param name="retireTimeout">How long a replaced producer may take to settle its messages.</param>
    /// <param name="time">The clock that dates deliveries.</param>
    /// <param name="logger">Where replacements are logged.</param>
    public RebuildingProducer(Func<Action<Error>, IProducer<TKey, TValue>> build, TimeSpan retireTimeout, TimeProvider time, ILogger logger)
    {
        _build = build;
        _retireTimeout = retireTimeout;
        _logger = logger;
        Deliveries = new DeliveryRecord(time);
        _current = Build();
    }

    /// <summary>How recent deliveries went.</summary>
    public DeliveryRecord Deliveries { get; }

    /// <summary>The fatal error of the current producer, until it is replaced.</summary>
    public Error? FatalError => _current.Fatal;

    public Handle Handle => Current().Handle;

    public string Name => Current().Name;

    public async Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        await ProduceAsync(new TopicPartition(topic, Partition.Any), message, cancellationToken);

    public async Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        var generation = CurrentGeneration();
        try
        {
            var result = await generation.Producer.ProduceAsync(topicPartition, message, cancellationToken);
            Deliveries.Succeeded();
            return result;
        }
        catch (KafkaException e)
        {
            Failed(generation, e.Error);
            throw;
        }
    }

    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        Produce(new TopicPartition(topic, Partition.Any), message, deliveryHandler);

    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null)
    {
        var generation = CurrentGeneration();
        // Without a handler of the caller's there may be no delivery reports to watch (they can be turned off).
        Action<DeliveryReport<TKey, TValue>>? watched = deliveryHandler is null ? null : report =>
        {
            if (report.Error.IsError)
            {
                Failed(generation, report.Error);
            }
            else
            {
                Deliveries.Succeeded();
            }

            deliveryHandler(report);
        };
        try
        {
            generation.Producer.Produce(topicPartition, message, watched);
        }
        catch (KafkaException e)
        {
            Failed(generation, e.Error);
            throw;
        }
    }

    public int Poll(TimeSpan timeout) => Current().Poll(timeout);

    public int Flush(TimeSpan timeout) => Current().Flush(timeout);

    public void Flush(CancellationToken cancellationToken = default) => Current().Flush(cancellationToken);

    public void InitTransactions(TimeSpan timeout) => Current().InitTransactions(timeout);

    public void BeginTransaction() => Current().BeginTransaction();

    public void CommitTransaction(TimeSpan timeout) => Current().CommitTransaction(timeout);

    public void CommitTransaction() => Current().CommitTransaction();

    public void AbortTransaction(TimeSpan timeout) => Current().AbortTransaction(timeout);

    public void AbortTransaction() => Current().AbortTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        Current().SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public int AddBrokers(string brokers) => Current().AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => Current().SetSaslCredentials(username, password);

    public void Dispose()
    {
        Task[] retiring;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            retiring = [.. _retiring];
        }

        _current.Producer.Dispose();
        Task.WaitAny(Task.WhenAll(retiring), Task.Delay(_retireTimeout));
    }

    private IProducer<TKey, TValue> Current() => CurrentGeneration().Producer;

    private Generation CurrentGeneration()
    {
        var generation = _current;
        return generation.Fatal is null ? generation : Replace(generation);
    }

    private void Failed(Generation generation, Error error)
    {
        if (error.IsFatal || error.Code == ErrorCode.Local_Fatal)
        {
            generation.Fatal ??= error;
        }

        if (!KafkaDeliveryErrors.IsMessageFault(error))
        {
            Deliveries.Failed(error);
        }
    }

    private Generation Replace(Generation failed)
    {
        lock (_lock)
        {
            if (_current != failed || _disposed)
            {
                return _current;
            }

            var replacement = Build();
            _current = replacement;
            LogReplaced(_logger, failed.Producer.Name, failed.Fatal?.Code ?? ErrorCode.Local_Fatal, failed.Fatal?.Reason, replacement.Producer.Name);
            _retiring.RemoveAll(task => task.IsCompleted);
            _retiring.Add(Task.Run(() => Retire(failed.Producer)));
            return replacement;
        }
    }

    private Generation Build()
    {
        var generation = new Generation();
        generation.Producer = _build(error =>
        {
            if (error.IsFatal)
            {
                generation.Fatal ??= error;
                Deliveries.Failed(error);
                // Off the client's own thread: replacing disposes nothing here, but building a client is slow.
                _ = Task.Run(CurrentGeneration);
            }
        });
        return generation;
    }

    private void Retire(IProducer<TKey, TValue> producer)
    {
        try
        {
            producer.Flush(_retireTimeout);
        }
        finally
        {
            producer.Dispose();
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Error,
        Message = "Kafka producer {Failed} failed fatally ({Code}: {Reason}); replaced by {Replacement}")]
    private static partial void LogReplaced(ILogger logger, string failed, ErrorCode code, string? reason, string replacement);

    private sealed class Generation
    {
        public IProducer<TKey, TValue> Producer { get; set; } = null!;

        public volatile Error? Fatal;
    }
}
