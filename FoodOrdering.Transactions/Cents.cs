namespace FoodOrdering.Transactions;

/// <summary>Money as a whole number of cents, for instruments that must show it exactly.</summary>
internal static class Cents
{
    /// <summary>The amount in cents; prices, lines and totals are priced to the cent, so nothing is rounded away.</summary>
    public static long Of(decimal amount)
    {
        var cents = amount * 100m;
        if (cents != decimal.Truncate(cents))
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "The amount is not a whole number of cents.");
        }

        return decimal.ToInt64(cents);
    }
}
