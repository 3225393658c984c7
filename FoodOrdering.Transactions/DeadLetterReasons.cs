namespace FoodOrdering.Transactions;

/// <summary>Why a received message went to the dead-letter topic, as the metric's <c>reason</c> tag.</summary>
internal static class DeadLetterReasons
{
    public const string Unreadable = "unreadable";
    public const string TooLarge = "too_large";
    public const string Unprocessable = "unprocessable";
}
