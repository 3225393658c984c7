using System.Globalization;

namespace FoodOrdering.Operations.Analytics;

/// <summary>Money as people read it: at least two decimals, never rounded (a sum of prices keeps its cents).</summary>
internal static class Money
{
    public static string Format(decimal amount) =>
        decimal.Round(amount, 2) == amount
            ? amount.ToString("0.00", CultureInfo.InvariantCulture)
            : amount.ToString(CultureInfo.InvariantCulture);
}
