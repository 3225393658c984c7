using Confluent.Kafka;

namespace FoodOrdering.Kafka;

/// <summary>
/// Takes apart a batch that failed again and again, to tell a record that fails on its own from a downstream that
/// fails everything. Each record is delivered alone, in the batch's order; a record that fails alone is tried alone
/// once more after another record got through to the downstream (<see cref="IBatchDelivery.ReachedDownstream"/>: a
/// record skipped as already done, or dead-lettered unread, shows nothing) or when the delivery saw it fail while
/// others were taken (<see cref="IBatchDelivery.FailedWhileOthersWereTaken"/>), and only when it fails again is it set
/// aside as its own failure (<see cref="IBatchDelivery.SetAsideAsync"/>: a dead letter, or the consumer's own failure
/// record). While nothing
/// gets through, nothing is set aside: after a few records failed alone in a row the isolation stops, and the loop
/// waits and replays as for any failed batch; the records that failed are tried last the next time, so that a run of
/// bad records at the head of a batch cannot pass for an outage.
/// </summary>
/// <remarks>
/// A record is tried only once every earlier record of its key is settled, so a key's records keep their order; with
/// offsets committed in the delivery's transaction, once every earlier record of its partition is, since its commit
/// moves the partition's offset past them. Records delivered or set aside are kept in <see cref="Settled"/> until the
/// loop stores their offsets, so a replay never does them again.
/// </remarks>
internal sealed class BatchIsolation(OffsetCommit offsetCommit, int maxFailuresInARow)
{
    private readonly HashSet<TopicPartitionOffset> _suspects = [];

    /// <summary>Records whose work is durable, delivered or set aside, but whose offsets may not be stored yet.</summary>
    public HashSet<TopicPartitionOffset> Settled { get; } = [];

    public async Task<BatchOutcome> IsolateAsync(IReadOnlyList<ConsumeResult<string, byte[]>> batch, IBatchDelivery delivery, CancellationToken cancellationToken)
    {
        // The first unsettled record of each key (or partition) when it is a suspect, which goes last: nothing after it
        // of the same may go before it.
        var waitingFor = new Dictionary<object, TopicPartitionOffset>();
        foreach (var first in batch.Where(record => !Settled.Contains(record.TopicPartitionOffset)).DistinctBy(OrderOf))
        {
            if (_suspects.Contains(first.TopicPartitionOffset))
            {
                waitingFor.Add(OrderOf(first), first.TopicPartitionOffset);
            }
        }

        var failed = new List<(ConsumeResult<string, byte[]> Record, int SuccessesBefore)>();
        var successes = 0;
        var setAside = 0;
        var failuresInARow = 0;

        // Suspects from an earlier isolation go last: the others say first whether the downstream works at all.
        var order = batch.Where(record => !_suspects.Contains(record.TopicPartitionOffset))
            .Concat(batch.Where(record => _suspects.Contains(record.TopicPartitionOffset)))
            .ToList();
        foreach (var record in order)
        {
            var sequence = OrderOf(record);
            if (Settled.Contains(record.TopicPartitionOffset)
                || (waitingFor.TryGetValue(sequence, out var first) && first != record.TopicPartitionOffset))
            {
                continue;
            }

            if (failuresInARow >= maxFailuresInARow)
            {
                waitingFor.TryAdd(sequence, record.TopicPartitionOffset);
                continue;
            }

            switch (await delivery.DeliverAsync([record], cancellationToken))
            {
                case BatchOutcome.Delivered:
                    Settle(record);
                    waitingFor.Remove(sequence);
                    if (delivery.ReachedDownstream)
                    {
                        successes++;
                        failuresInARow = 0;
                    }

                    break;
                case BatchOutcome.Discarded:
                    return BatchOutcome.Discarded;
                default:
                    // A suspect first failed in an earlier isolation, before every success of this one; a record the
                    // downstream was seen to fail while it took others needs no success here.
                    var suspect = !_suspects.Add(record.TopicPartitionOffset);
                    failed.Add((record, delivery.FailedWhileOthersWereTaken(record) ? -1 : suspect ? 0 : successes));
                    waitingFor.TryAdd(sequence, record.TopicPartitionOffset);
                    failuresInARow++;
                    break;
            }
        }

        // Only a record after whose first failure another one got through is tried again; failing alone again, it is set aside.
        // A record seen failing while others were taken counts as such only if no record failed here with nothing
        // to show for it: that looks like the downstream going down, which the earlier sight cannot tell from.
        var unexplained = failed.Exists(failure => failure.SuccessesBefore >= successes);
        foreach (var (record, _) in failed.Where(failure => failure.SuccessesBefore == -1 ? !unexplained : failure.SuccessesBefore < successes))
        {
            switch (await delivery.DeliverAsync([record], cancellationToken))
            {
                case BatchOutcome.Delivered:
                    Settle(record);
                    break;
                case BatchOutcome.Discarded:
                    return BatchOutcome.Discarded;
                default:
                    if (!await delivery.SetAsideAsync(record, cancellationToken))
                    {
                        return BatchOutcome.Failed;
                    }

                    Settle(record);
                    setAside++;
                    break;
            }
        }

        if (batch.All(record => Settled.Contains(record.TopicPartitionOffset)))
        {
            return BatchOutcome.Delivered;
        }

        // Progress is replayed at once; a downstream that took nothing is waited out.
        return successes + setAside > 0 ? BatchOutcome.Discarded : BatchOutcome.Failed;
    }

    /// <summary>Forgets what is no longer pending: the offsets up to these were stored, or the partitions left.</summary>
    public void Forget(Func<TopicPartitionOffset, bool> done)
    {
        Settled.RemoveWhere(record => done(record));
        _suspects.RemoveWhere(record => done(record));
    }

    private void Settle(ConsumeResult<string, byte[]> record)
    {
        Settled.Add(record.TopicPartitionOffset);
        _suspects.Remove(record.TopicPartitionOffset);
    }

    // What a record must wait for: the earlier records of its key, or, when its commit moves its partition's offset,
    // of its partition.
    private object OrderOf(ConsumeResult<string, byte[]> record) =>
        offsetCommit == OffsetCommit.InTransaction ? record.TopicPartition : (record.Topic, record.Message.Key ?? "");
}
