using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Transactions.OrderIds;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace FoodOrdering.Transactions;

/// <summary>
/// Exactly-once delivery of received orders: each batch becomes one Kafka transaction holding every confirmation,
/// analytics record, rejection and dead letter of the batch together with the batch's consumer offsets, so the
/// outputs and the progress commit together or not at all. A failed transaction is aborted and the batch fails,
/// so the loop replays it whole from the committed offsets; a batch gathered across a rebalance is discarded the
/// same way before any of it is written. The order ids a transaction claims (<see cref="OrderIdLedger"/>) hold once
/// it commits and are dropped when it aborts. A record whose transaction fails alone while others commit (the loop finds
/// it, <see cref="BatchIsolation"/>) is dead-lettered in a transaction with its offset, so it too is exactly once.
/// </summary>
internal sealed partial class TransactionalOrderDelivery(
    int worker,
    IConsumer<string, byte[]> consumer,
    ITransactionalProducerFactory producers,
    OrderRecordProcessor processor,
    [FromKeyedServices(ConsumerGroups.Transactions)] DeadLetters deadLetters,
    RevocationWatch revocations,
    OrderIdLedger ledger,
    TransactionsMetrics metrics,
    IOptions<OrderProcessingOptions> options,
    ILogger<TransactionalOrderDelivery> logger) : IBatchDelivery
{
    private readonly OrderProcessingOptions _settings = options.Value;

    // A transactional call the client marks retriable (a timeout, say) gets three tries in all; anything else
    // fails the transaction.
    private readonly ResiliencePipeline _calls = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.Zero,
            ShouldHandle = new PredicateBuilder().Handle<KafkaRetriableException>(),
        })
        .Build();

    // Retries of one step of a record committed alone, when a refusal before it left the producer out of sequence.
    private const int MaxAftermaths = 2;

    private ITransactionalProducer? _producer;

    // Why the latest transaction was aborted, for a record set aside as its own failure.
    private KafkaException? _lastFailure;

    /// <summary>Whether the latest delivery committed a transaction: Kafka, this delivery's downstream, took it.</summary>
    public bool ReachedDownstream { get; private set; }

    public Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
    {
        ReachedDownstream = false;
        if (revocations.TakeRevoked())
        {
            LogRevoked(logger, batch.Count);
            return Task.FromResult(BatchOutcome.Discarded);
        }

        // The loop replays the batch after its backoff, and tries again for a producer then.
        return Task.FromResult(TryStartProducer() is { } producer ? Commit(producer, batch) : BatchOutcome.Failed);
    }

    /// <summary>Initializing transactions while the consumer joins its group, so the first batch does not wait for it.</summary>
    public void Subscribed() => TryStartProducer();

    /// <summary>Nothing gathered: nothing is in flight, so a rebalance meanwhile leaves nothing to replay.</summary>
    public void Idle()
    {
        revocations.TakeRevoked();
        TryStartProducer()?.ServeEvents();
    }

    public void Closing()
    {
        // No transaction is open here: every batch ends committed or aborted before the loop looks again.
        _producer?.Dispose();
        _producer = null;
    }

    private ITransactionalProducer? TryStartProducer()
    {
        try
        {
            return _producer ??= producers.Create(_settings.TransactionTimeout, worker);
        }
        catch (KafkaException e)
        {
            LogProducerFailed(logger, e, e.Error.Reason);
            return null;
        }
    }

    private BatchOutcome Commit(ITransactionalProducer producer, IReadOnlyList<ConsumeResult<string, byte[]>> batch)
    {
        if (!ledger.TryLoad(batch))
        {
            return BatchOutcome.Failed;
        }

        var failure = TryCommit(producer, batch, record => processor.Process(record, producer.Producer, ledger));
        if (failure is null)
        {
            return BatchOutcome.Delivered;
        }

        // Refused as a record, the same batch would fail the same way forever: one record per transaction finds the
        // one that cannot be written, and only that one is dead-lettered instead.
        return DeadLetters.IsRecordRefused(failure.Error) && _producer is not null ? CommitOneByOne(producer, batch) : BatchOutcome.Failed;
    }

    /// <summary>
    /// Each record in a transaction of its own: processed; if Kafka refuses what it became, dead-lettered; if that is
    /// refused, dead-lettered bare; if even that is refused, parked (only its offset is committed).
    /// </summary>
    private BatchOutcome CommitOneByOne(ITransactionalProducer producer, IReadOnlyList<ConsumeResult<string, byte[]>> batch)
    {
        LogOneByOne(logger, batch.Count);
        foreach (var record in batch)
        {
            if (!CommitAlone(producer, record, firstStep: 0, triesPerStep: 1, cause: default, escalate: DeadLetters.IsRecordRefused))
            {
                return BatchOutcome.Failed;
            }
        }

        return BatchOutcome.Delivered;
    }

    /// <summary>
    /// The record's transaction failed alone, again and again, while others committed: it is dead-lettered with why,
    /// in a transaction of its own with its offset; failing that too, dead-lettered bare, then parked. Each of those
    /// steps is tried twice before the next, so a passing broker fault does not park a record.
    /// </summary>
    public Task<bool> SetAsideAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        if (TryStartProducer() is not { } producer)
        {
            return Task.FromResult(false);
        }

        var why = _lastFailure is { } failure ? $"{failure.Error.Code}: {failure.Error.Reason}" : "no reason given";
        var cause = new DeadLetterCause(DeadLetterReasons.FailsAlone,
            $"Its transaction failed alone, again and again, while others committed ({why})", _lastFailure?.Error.Code.ToString() ?? nameof(DeadLetterReasons.FailsAlone));
        return Task.FromResult(CommitAlone(producer, record, firstStep: 1, triesPerStep: 2, cause, escalate: _ => true));
    }

    /// <summary>
    /// One record in transactions of its own, from <paramref name="firstStep"/> on (processed, dead-lettered,
    /// dead-lettered bare, parked), each step tried <paramref name="triesPerStep"/> times, going to the next when
    /// <paramref name="escalate"/> says the failure is the record's; false when it is not, or when even parking failed.
    /// </summary>
    private bool CommitAlone(ITransactionalProducer producer, ConsumeResult<string, byte[]> record, int firstStep, int triesPerStep, DeadLetterCause cause, Func<Error, bool> escalate)
    {
        Func<ConsumeResult<string, byte[]>, OrderOutcome>[] steps =
        [
            record => processor.Process(record, producer.Producer, ledger),
            record => DeadLettered(record, deadLetters.Enqueue),
            record => DeadLettered(record, deadLetters.EnqueueBare),
            record =>
            {
                deadLetters.Park(record, cause);
                return OrderOutcome.DeadLetteredFor(cause.Reason);
            },
        ];

        var step = firstStep;
        var aftermaths = 0;
        var tries = 0;
        while (TryCommit(producer, [record], steps[step]) is { } failure)
        {
            if (_producer is null)
            {
                return false;
            }

            // The transaction after a refused one can fail for the refusal's sake alone; the same step again succeeds.
            if (failure.Error.Code == ErrorCode.OutOfOrderSequenceNumber && ++aftermaths <= MaxAftermaths)
            {
                continue;
            }

            if (++tries < triesPerStep)
            {
                continue;
            }

            if (!escalate(failure.Error) || ++step == steps.Length)
            {
                // The broker or the producer failed, not the record: the loop replays from the last commit.
                return false;
            }

            tries = 0;

            if (step == 1 && firstStep == 0)
            {
                cause = new DeadLetterCause(DeadLetterReasons.Unprocessable, $"Kafka refused what the message became: {failure.Error.Reason}", failure.Error.Code.ToString());
            }
        }

        return true;

        OrderOutcome DeadLettered(ConsumeResult<string, byte[]> record, Action<IProducer<string, byte[]>, ConsumeResult<string, byte[]>, DeadLetterCause> enqueue)
        {
            enqueue(producer.Producer, record, cause);
            return OrderOutcome.DeadLetteredFor(cause.Reason);
        }
    }

    /// <summary>One transaction: the records' outputs and their offsets, committed together; the error when it was aborted instead.</summary>
    private KafkaException? TryCommit(ITransactionalProducer producer, IReadOnlyList<ConsumeResult<string, byte[]>> records, Func<ConsumeResult<string, byte[]>, OrderOutcome> process)
    {
        var outcomes = new List<OrderOutcome>(records.Count);
        var offsets = NextOffsets(records);
        try
        {
            producer.BeginTransaction();
            foreach (var record in records)
            {
                outcomes.Add(process(record));
            }

            _calls.Execute(() => producer.SendOffsetsToTransaction(offsets, consumer.ConsumerGroupMetadata, _settings.TransactionTimeout));
            _calls.Execute(() => producer.CommitTransaction(_settings.TransactionTimeout));
        }
        catch (KafkaException failed)
        {
            var e = failed.Error.Code == ErrorCode.Local_State ? WhyTheTransactionFailed(producer) ?? failed : failed;
            _lastFailure = e;
            ledger.Aborted();
            metrics.Aborted();
            LogTransactionFailed(logger, e, records.Count, e.Error.Code, e.Error.Reason);
            if (e.Error.IsFatal || !TryAbort(producer))
            {
                producer.Dispose();
                _producer = null;
            }

            return e;
        }

        ledger.Committed();
        metrics.Committed(outcomes);
        ReachedDownstream = true;
        return null;
    }

    /// <summary>
    /// A produce call answers only "erroneous state" once the open transaction failed in the background (a record the
    /// broker refused, say); committing a transaction in that state cannot succeed, and its error names the cause.
    /// </summary>
    private KafkaException? WhyTheTransactionFailed(ITransactionalProducer producer)
    {
        try
        {
            producer.CommitTransaction(_settings.TransactionTimeout);
            return null;
        }
        catch (KafkaException e)
        {
            return e;
        }
    }

    private bool TryAbort(ITransactionalProducer producer)
    {
        try
        {
            _calls.Execute(() => producer.AbortTransaction(_settings.TransactionTimeout));
            return true;
        }
        catch (KafkaException e)
        {
            // The broker aborts the open transaction itself after transaction.timeout.ms; a new producer takes over.
            LogAbortFailed(logger, e, e.Error.Reason);
            return false;
        }
    }

    private static List<TopicPartitionOffset> NextOffsets(IReadOnlyList<ConsumeResult<string, byte[]>> batch)
    {
        var next = new Dictionary<TopicPartition, long>();
        foreach (var record in batch)
        {
            next[record.TopicPartition] = record.Offset.Value + 1;
        }

        return [.. next.Select(pair => new TopicPartitionOffset(pair.Key, pair.Value))];
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Partitions were revoked while {Count} orders were gathered; replaying from the committed offsets")]
    private static partial void LogRevoked(ILogger logger, int count);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Initializing the transactional producer failed ({Reason}); retrying")]
    private static partial void LogProducerFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "The transaction of {Count} orders failed ({Code}: {Reason}); aborting it and replaying from the committed offsets")]
    private static partial void LogTransactionFailed(ILogger logger, Exception exception, int count, ErrorCode code, string reason);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Kafka refused a record of a batch of {Count} orders; committing them one by one to dead-letter only that one")]
    private static partial void LogOneByOne(ILogger logger, int count);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Aborting the transaction failed ({Reason}); replacing the producer")]
    private static partial void LogAbortFailed(ILogger logger, Exception exception, string reason);
}
