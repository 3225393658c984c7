using System.Collections.Concurrent;
using Confluent.Kafka;
using FoodOrdering.Kafka;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A batch delivery that does what its script says with each batch and remembers which records' work was done, in
/// order: by default every batch is delivered. A record is done when a batch holding it was delivered or it was set aside.
/// </summary>
internal sealed class RecordingDelivery(Func<IReadOnlyList<ConsumeResult<string, byte[]>>, CancellationToken, Task<BatchOutcome>>? script = null) : IBatchDelivery
{
    private readonly ConcurrentQueue<TopicPartitionOffset> _done = new();
    private int _batches;

    /// <summary>Records whose work was done, in order; a record done twice is here twice.</summary>
    public IReadOnlyList<TopicPartitionOffset> Done => [.. _done];

    public ConcurrentQueue<TopicPartitionOffset> SetAside { get; } = new();

    /// <summary>Batches handed over, delivered or not.</summary>
    public int Batches => Volatile.Read(ref _batches);

    public bool ReachedDownstream { get; set; } = true;

    public bool Closed { get; private set; }

    public async Task<BatchOutcome> DeliverAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _batches);
        var outcome = script is null ? BatchOutcome.Delivered : await script(batch, cancellationToken);
        if (outcome == BatchOutcome.Delivered)
        {
            foreach (var record in batch)
            {
                _done.Enqueue(record.TopicPartitionOffset);
            }
        }

        return outcome;
    }

    public Task<bool> SetAsideAsync(ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        SetAside.Enqueue(record.TopicPartitionOffset);
        _done.Enqueue(record.TopicPartitionOffset);
        return Task.FromResult(true);
    }

    public void Closing() => Closed = true;

    /// <summary>Whether every record of the partition before <paramref name="offset"/> was done.</summary>
    public bool DoneBefore(TopicPartitionOffset offset)
    {
        var done = _done.Where(record => record.TopicPartition == offset.TopicPartition).Select(record => record.Offset.Value).ToHashSet();
        return Enumerable.Range(0, (int)offset.Offset.Value).All(earlier => done.Contains(earlier));
    }
}
