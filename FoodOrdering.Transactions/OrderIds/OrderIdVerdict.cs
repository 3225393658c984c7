namespace FoodOrdering.Transactions.OrderIds;

/// <summary>What the <see cref="OrderIdLedger"/> knows of a received order's id.</summary>
internal enum OrderIdVerdict
{
    /// <summary>No order was received under the id within the window: this one is the first.</summary>
    New,

    /// <summary>This same order was received before and is done: it becomes nothing again.</summary>
    Duplicate,

    /// <summary>A different order was received under the id before: this one is rejected.</summary>
    InUse,
}
