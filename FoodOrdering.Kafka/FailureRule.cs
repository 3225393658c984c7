namespace FoodOrdering.Kafka;

/// <summary>
/// One row of a <see cref="FailurePolicy{TFailure}"/>: the failures it matches, how often they are retried in place
/// (the first wait <see cref="FirstRetryDelay"/>, doubling), and what they get after that.
/// </summary>
public sealed record FailureRule<TFailure>(
    Func<TFailure, bool> Matches,
    int RetriesInPlace,
    TimeSpan FirstRetryDelay,
    FailureAction Action,
    string? DeadLetterReason = null)
{
    /// <summary>The wait before retry <paramref name="retry"/> (from 1) in place.</summary>
    public TimeSpan DelayBefore(int retry) => FirstRetryDelay * Math.Pow(2, retry - 1);
}
