using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace FoodOrdering.Kafka;

/// <summary>
/// The one consume loop every consumer runs: subscribe, gather a batch, hand it to an <see cref="IBatchDelivery"/>,
/// and only once the delivery says the work is durable let the offsets move on (<see cref="OffsetCommit"/>). A failed
/// batch is replayed from the committed offsets after a growing backoff; consume errors rewind the same way, so no
/// record is skipped. Bad records are the delivery's to dead-letter, so one of them never stops the loop; a batch that
/// fails <see cref="KafkaConsumeLoopOptions.IsolateAfter"/> times in a row is taken apart record by record
/// (<see cref="BatchIsolation"/>), so that a record that fails alone is set aside as its own failure while an outage
/// that fails every record is still waited out. A fatal
/// error does, logged as critical and rethrown. On stop the consumer is closed (committing stored offsets and
/// leaving the group), unless its owner does that itself (<see cref="KafkaConsumeLoopOptions.LeaveGroupOnStop"/>).
/// </summary>
public sealed partial class KafkaConsumeLoop
{
    private readonly IConsumer<string, byte[]> _consumer;
    private readonly KafkaConsumerMonitor _monitor;
    private readonly IBatchDelivery _delivery;
    private readonly KafkaConsumeLoopOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<BatchOutcome> _replays;
    private readonly ResiliencePipeline _rewinds;
    private readonly BatchIsolation _isolation;

    // Passes in a row whose batch failed; reset by a delivered one.
    private int _failedPasses;

    // A failed batch is waiting to come back: until it does, an empty pass is not a success.
    private bool _replaying;

    // Cancelled DrainTimeout after the stop, not at it: see LoopAsync.
    private CancellationToken _deliveryToken;

    public KafkaConsumeLoop(IConsumer<string, byte[]> consumer, KafkaConsumerMonitor monitor, IBatchDelivery delivery, KafkaConsumeLoopOptions options, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IsolationFailuresInARow, 1);
        _consumer = consumer;
        _monitor = monitor;
        _delivery = delivery;
        _options = options;
        _logger = logger;
        _isolation = new BatchIsolation(options.OffsetCommit, options.IsolationFailuresInARow);
        _replays = new ResiliencePipelineBuilder<BatchOutcome>()
            .AddRetry(new RetryStrategyOptions<BatchOutcome>
            {
                MaxRetryAttempts = int.MaxValue,
                Delay = options.FirstRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result == BatchOutcome.Failed),
                OnRetry = args =>
                {
                    LogReplaying(_logger, _options.Topic, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        // Going on from the current positions could skip the batch to replay, so a rewind is retried until it holds.
        _rewinds = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                Delay = options.FirstRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<KafkaException>(e => !e.Error.IsFatal),
                OnRetry = args =>
                {
                    LogRewindFailed(_logger, _options.Topic, (args.Outcome.Exception as KafkaException)?.Error.Reason, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled or a fatal error, on a thread of its own.</summary>
    // Consume() blocks its thread, so the loop must not run on the caller's (the host's start path).
    public Task RunAsync(CancellationToken stoppingToken) => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None);

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        _consumer.Subscribe(_options.Topic);
        LogConsuming(_logger, _options.Topic, _options.ConsumerGroup, _options.MaxBatchSize, _options.MaxBatchWait.TotalMilliseconds);
        // A stop lets the batch in hand finish, within DrainTimeout, rather than abandon work already done (emails
        // sent, documents indexed) for the partitions' next owner to do again. A transaction needs no drain: cut
        // short, it is aborted and nothing of it was done.
        using var delivering = new CancellationTokenSource();
        using var drain = stoppingToken.Register(() => delivering.CancelAfter(_options.DrainTimeout));
        _deliveryToken = _options.OffsetCommit == OffsetCommit.InTransaction ? stoppingToken : delivering.Token;
        try
        {
            _delivery.Subscribed();
            while (!stoppingToken.IsCancellationRequested)
            {
                await _replays.ExecuteAsync(static (loop, token) => loop.PassAsync(token), this, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A batch still unfinished after the drain is abandoned with its offsets unmoved: the next run does it again.
        }
        catch (Exception e)
        {
            LogStopped(_logger, e, _options.Topic, _options.ConsumerGroup);
            throw;
        }
        finally
        {
            _delivery.Closing();
            if (_options.LeaveGroupOnStop)
            {
                Leave();
            }
        }
    }

    /// <summary>Closes the consumer: commits stored offsets and leaves the group. Only once the loop has stopped.</summary>
    public void Leave()
    {
        _consumer.Close();
        LogClosed(_logger, _options.Topic, _options.ConsumerGroup);
    }

    /// <summary>One batch, gathered and delivered; a batch that did not get through is rewound before this returns.</summary>
    private async ValueTask<BatchOutcome> PassAsync(CancellationToken cancellationToken)
    {
        List<ConsumeResult<string, byte[]>> batch;
        try
        {
            batch = NextBatch(cancellationToken);
            // Right after a rewind the fetch often comes back empty; that is no success, and counting it as one would
            // restart the backoff, so a batch that keeps failing would be retried at the first delay forever.
            while (batch.Count == 0 && _replaying)
            {
                _delivery.Idle();
                batch = NextBatch(cancellationToken);
            }
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // Records gathered before the error moved the position on; rewinding makes sure none is skipped.
            LogConsumeFailed(_logger, e, _options.Topic, e.Error.Reason);
            await RewindAsync(cancellationToken);
            // Failed, not Discarded: an error that lasts is retried with backoff rather than in a tight loop.
            _replaying = true;
            return BatchOutcome.Failed;
        }

        if (_options.OffsetCommit != OffsetCommit.InTransaction && batch.Count > 0)
        {
            batch = StillAssigned(batch);
        }

        if (batch.Count == 0)
        {
            _delivery.Idle();
            return BatchOutcome.Delivered;
        }

        _monitor.Started(batch);
        var outcome = BatchOutcome.Failed;
        try
        {
            outcome = await DeliverOrIsolateAsync(batch);
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            LogDeliveryFailed(_logger, e, batch.Count, _options.Topic, e.Error.Reason);
        }
        finally
        {
            if (outcome != BatchOutcome.Delivered && _isolation.Settled.Count > 0)
            {
                // Also on a stop while isolating: what was settled is not done again by the partitions' next owner.
                MakeSettledDurable(batch);
            }
        }

        if (outcome == BatchOutcome.Delivered)
        {
            MakeDurable(batch);
            _isolation.Forget(record => batch.Exists(done => done.TopicPartitionOffset == record));
            _monitor.Progressed();
        }
        else
        {
            await RewindAsync(cancellationToken);
        }

        _failedPasses = outcome switch
        {
            BatchOutcome.Delivered => 0,
            BatchOutcome.Failed => _failedPasses + 1,
            _ => _failedPasses,
        };
        _replaying = outcome == BatchOutcome.Failed;
        return outcome;
    }

    private List<ConsumeResult<string, byte[]>> NextBatch(CancellationToken cancellationToken)
    {
        var batch = _consumer.ConsumeBatch(_options.MaxBatchSize, _options.MaxBatchWait, _options.IdleWait, cancellationToken);
        return _options.Switch is null ? batch : _options.Switch.Hold(_consumer, _monitor, batch);
    }

        private async Task<BatchOutcome> DeliverOrIsolateAsync(List<ConsumeResult<string, byte[]>> batch)
    {
        if (_failedPasses >= _options.IsolateAfter)
        {
            LogIsolating(_logger, batch.Count, _options.Topic, _failedPasses);
            return await _isolation.IsolateAsync(batch, _delivery, _deliveryToken);
        }

        var pending = _isolation.Settled.Count == 0 ? batch : batch.FindAll(record => !_isolation.Settled.Contains(record.TopicPartitionOffset));
        return pending.Count == 0 ? BatchOutcome.Delivered : await _delivery.DeliverAsync(pending, _deliveryToken);
    }

    /// <summary>
    /// Drops records of partitions revoked while the batch was gathered (the rebalance callback runs inside Consume):
    /// their offsets were committed as the partitions left, and the new owner starts from there, so working on them
    /// here would do them twice. A transactional delivery handles a revocation itself, dropping the whole batch.
    /// </summary>
    private List<ConsumeResult<string, byte[]>> StillAssigned(List<ConsumeResult<string, byte[]>> batch)
    {
        var assigned = _consumer.Assignment.ToHashSet();
        return batch.TrueForAll(record => assigned.Contains(record.TopicPartition))
            ? batch
            : batch.FindAll(record => assigned.Contains(record.TopicPartition));
    }

    private void MakeDurable(List<ConsumeResult<string, byte[]>> batch)
    {
        if (_options.OffsetCommit == OffsetCommit.InTransaction)
        {
            return;
        }

        // The highest offset of each partition: every record up to it is done or dead-lettered.
        foreach (var last in batch.GroupBy(record => record.TopicPartition).Select(partition => partition.MaxBy(record => record.Offset.Value)!))
        {
            try
            {
                _consumer.StoreOffset(last);
            }
            catch (KafkaException e) when (!e.Error.IsFatal)
            {
                // The partition was taken away while the batch was worked on (a rebalance, or work that outlasted
                // max.poll.interval.ms): its new owner does the record again, which is at-least-once.
                LogNotStored(_logger, last.Offset.Value, last.Topic, last.Partition.Value, e.Error.Reason);
            }
        }

        CommitStored();
    }

    /// <summary>
    /// Stores, per partition, the offset of the last record of the batch's settled head (every record before it
    /// delivered or set aside while isolating), and forgets those records: the replay starts after them.
    /// </summary>
    private void MakeSettledDurable(List<ConsumeResult<string, byte[]>> batch)
    {
        var heads = batch.GroupBy(record => record.TopicPartition)
            .Select(partition => partition.OrderBy(record => record.Offset.Value).TakeWhile(record => _isolation.Settled.Contains(record.TopicPartitionOffset)).LastOrDefault())
            .OfType<ConsumeResult<string, byte[]>>()
            .ToList();
        if (heads.Count == 0)
        {
            return;
        }

        if (_options.OffsetCommit != OffsetCommit.InTransaction)
        {
            // A partial batch: its settled head is durable, the rest of it is replayed.
            MakeDurable(heads);
        }

        _isolation.Forget(record => heads.Exists(head => head.TopicPartition == record.TopicPartition && record.Offset.Value <= head.Offset.Value));
    }

    private void CommitStored()
    {
        try
        {
            _consumer.Commit();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing stored since the last commit.
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            // Stored offsets stay stored: the timer, the next batch or Close commits them.
            LogCommitFailed(_logger, _options.Topic, e.Error.Reason);
        }
    }

    /// <summary>Seeks every held partition back to where its committed offset (or the beginning, when none is) says.</summary>
    private async Task RewindAsync(CancellationToken cancellationToken)
    {
        if (_options.OffsetCommit != OffsetCommit.InTransaction)
        {
            // What is stored is done: committing it first keeps the replay to the batch that failed.
            CommitStored();
        }

        await _rewinds.ExecuteAsync(static (loop, _) =>
        {
            loop.Rewind();
            return ValueTask.CompletedTask;
        }, this, cancellationToken);
    }

    private void Rewind()
    {
        var assignment = _consumer.Assignment;
        if (assignment.Count == 0)
        {
            return;
        }

        foreach (var committed in _consumer.Committed(assignment, _options.CommittedTimeout))
        {
            _consumer.Seek(committed.Offset.IsSpecial ? new TopicPartitionOffset(committed.TopicPartition, Offset.Beginning) : committed);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Consuming {Topic} as consumer group {ConsumerGroup} in batches of up to {MaxBatchSize} records or {MaxBatchWait} ms")]
    private static partial void LogConsuming(ILogger logger, string topic, string consumerGroup, int maxBatchSize, double maxBatchWait);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Consuming {Topic} failed ({Reason}); rewinding to the committed offsets")]
    private static partial void LogConsumeFailed(ILogger logger, Exception exception, string topic, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "A batch of {Count} records from {Topic} failed ({Reason}); replaying it from the committed offsets")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, int count, string topic, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Replaying {Topic} from the committed offsets (attempt {Attempt}) in {Delay}")]
    private static partial void LogReplaying(ILogger logger, string topic, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Rewinding {Topic} to the committed offsets failed ({Reason}); retrying in {Delay}")]
    private static partial void LogRewindFailed(ILogger logger, string topic, string? reason, TimeSpan delay);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Offset {Offset} of {Topic} [{Partition}] was not stored: {Reason}")]
    private static partial void LogNotStored(ILogger logger, long offset, string topic, int partition, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Committing {Topic} offsets failed: {Reason}")]
    private static partial void LogCommitFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Critical, Message = "The consumer of {Topic} (group {ConsumerGroup}) stopped on an unrecoverable error")]
    private static partial void LogStopped(ILogger logger, Exception exception, string topic, string consumerGroup);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Delivering {Count} records of {Topic} one by one after {Failures} failed attempts, to set aside a record that fails alone")]
    private static partial void LogIsolating(ILogger logger, int count, string topic, int failures);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Consumer of {Topic} closed; consumer group {ConsumerGroup} left")]
    private static partial void LogClosed(ILogger logger, string topic, string consumerGroup);
}
