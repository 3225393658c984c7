using FoodOrdering.Contracts;

namespace FoodOrdering.Operations.Log;

/// <summary>Which topics hold records that failed: every dead-letter topic, and <c>emails.failed</c>.</summary>
internal static class DeadLetterTopics
{
    private static readonly string Suffix = Topics.DeadLetter("");

    public static bool IsDeadLetterTopic(string topic) => topic.EndsWith(Suffix, StringComparison.Ordinal);

    public static bool HoldsFailures(string topic) => IsDeadLetterTopic(topic) || topic == Topics.EmailsFailed;
}
