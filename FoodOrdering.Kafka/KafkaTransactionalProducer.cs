using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// A transactional producer whose blocking transaction calls are held to their timeouts by the caller's side too.
/// librdkafka (2.16, issue #5456) can leave SendOffsetsToTransaction waiting forever, past its own timeout, once
/// the consumer group's coordinator went down and came back; a worker blocked there never prices another order.
/// A call still running <see cref="Grace"/> after its timeout fails with <see cref="ErrorCode.Local_TimedOut"/>
/// and the producer is given up: it is never used again, so its open transaction is never committed (the broker
/// aborts it after <c>transaction.timeout.ms</c>), and it is disposed when, if ever, the stuck call returns.
/// </summary>
public sealed class KafkaTransactionalProducer : ITransactionalProducer
{
    /// <summary>How long past its own timeout a call may run before the producer is given up.</summary>
    internal static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly IProducer<string, byte[]> _producer;
    private Task? _stuckCall;

    internal KafkaTransactionalProducer(IProducer<string, byte[]> producer) => _producer = producer;

    public IProducer<string, byte[]> Producer => _producer;

    internal void InitTransactions(TimeSpan timeout) => Guarded(nameof(InitTransactions), timeout, () => _producer.InitTransactions(timeout));

    /// <summary>
    /// No background thread serves the client's events: the owner calls this when idle, and every commit and abort
    /// serves them as it flushes.
    /// </summary>
    public void ServeEvents()
    {
        if (_stuckCall is null)
        {
            _producer.Poll(TimeSpan.Zero);
        }
    }

    public void BeginTransaction()
    {
        ThrowIfGivenUp(nameof(BeginTransaction));
        _producer.BeginTransaction();
    }

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        Guarded(nameof(SendOffsetsToTransaction), timeout, () => _producer.SendOffsetsToTransaction(offsets, groupMetadata, timeout));

    public void CommitTransaction(TimeSpan timeout) => Guarded(nameof(CommitTransaction), timeout, () => _producer.CommitTransaction(timeout));

    public void AbortTransaction(TimeSpan timeout) => Guarded(nameof(AbortTransaction), timeout, () => _producer.AbortTransaction(timeout));

    public void Dispose()
    {
        if (_stuckCall is null)
        {
            _producer.Dispose();
        }
        else
        {
            // Destroying the client under a call that is still inside it would pull the handle from under that call.
            _stuckCall.ContinueWith(call =>
            {
                _ = call.Exception; // observed: the worker already moved on from this call
                _producer.Dispose();
            }, TaskScheduler.Default);
        }
    }

    private void Guarded(string operation, TimeSpan timeout, Action call)
    {
        ThrowIfGivenUp(operation);
        var running = Task.Run(call);
        if (Task.WaitAny([running], timeout + Grace) < 0)
        {
            _stuckCall = running;
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut,
                $"{operation} did not return within {(timeout + Grace).TotalSeconds:0} s (librdkafka issue #5456); the producer is given up"));
        }

        running.GetAwaiter().GetResult();
    }

    private void ThrowIfGivenUp(string operation)
    {
        if (_stuckCall is not null)
        {
            throw new KafkaException(new Error(ErrorCode.Local_State, $"{operation}: this producer was given up after a call that did not return"));
        }
    }
}
