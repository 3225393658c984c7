namespace FoodOrdering.Transactions.OrderIds;

/// <summary>
/// One record of <see cref="Contracts.Topics.OrderIdClaims"/>, keyed by the order id: the first order received under the
/// id, by its <see cref="OrderFingerprint"/>, and the offset it was received at on the partition of the same number
/// of <see cref="Contracts.Topics.OrdersReceived"/>.
/// </summary>
internal sealed record OrderIdClaim(Guid OrderId, string Fingerprint, long ReceivedOffset, DateTimeOffset ClaimedAt);
