namespace FoodOrdering.Transactions;

/// <summary>
/// Notes that partitions were revoked or lost while a batch was being gathered. Such a batch is discarded and the
/// partitions still held are rewound to their committed offsets: records of the moved partitions belong to their
/// new owner, and dropping only those would leave a gap the next commit could skip over. One per worker, as each
/// worker's consumer is rebalanced on its own; rebalance callbacks run on the thread that calls Consume, the
/// worker's own, so no locking is needed.
/// </summary>
internal sealed class RevocationWatch
{
    private bool _revoked;

    public void Revoked() => _revoked = true;

    /// <summary>Whether a revocation happened since the last call.</summary>
    public bool TakeRevoked()
    {
        var revoked = _revoked;
        _revoked = false;
        return revoked;
    }
}
