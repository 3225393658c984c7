namespace FoodOrdering.Contracts;

/// <summary>What one order may hold: the order API validates against these, and Transactions enforces them again.</summary>
public static class OrderLimits
{
    public const int MaxLines = 20;
    public const int MaxQuantity = 20;
}
