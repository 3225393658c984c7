namespace FoodOrdering.Producer.Orders;

/// <summary>Exactly one of: an answer, a publish in flight to wait for, or a keyed order to publish.</summary>
internal sealed record KeyClaim(Placement? Answer = null, Task<Placement>? Pending = null, KeyedOrder? Publish = null);
