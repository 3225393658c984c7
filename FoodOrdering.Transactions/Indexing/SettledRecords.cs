using Confluent.Kafka;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// The records of the batch being worked on whose work is already durable — acknowledged by Elasticsearch, or
/// dead-lettered — so that when the rest of the batch fails and it is replayed from the committed offsets, they are
/// not sent again, also when the consume loop takes the batch apart and delivers its records one at a time. A record is
/// forgotten once a batch holding it is delivered; one whose partition left while its batch failed stays behind, and
/// forgetting only costs a resend, which the deterministic ids and <c>create</c> make harmless (a 409, counted as
/// already indexed).
/// </summary>
internal sealed class SettledRecords
{
    private readonly HashSet<(string Topic, int Partition, long Offset)> _settled = [];

    public bool Contains(ConsumeResult<string, byte[]> record) => _settled.Contains(Key(record));

    public void Add(ConsumeResult<string, byte[]> record) => _settled.Add(Key(record));

    /// <summary>Forgets the records of <paramref name="batch"/>: they are delivered, and their offsets move on.</summary>
    public void Forget(IReadOnlyList<ConsumeResult<string, byte[]>> batch)
    {
        if (_settled.Count > 0)
        {
            _settled.ExceptWith(batch.Select(Key));
        }
    }

    private static (string, int, long) Key(ConsumeResult<string, byte[]> record) => (record.Topic, record.Partition.Value, record.Offset.Value);
}
