namespace FoodOrdering.Kafka;

/// <summary>Says what the failures of one <see cref="FailurePolicy{TFailure}.On"/> get; each answer ends the rule.</summary>
public sealed class FailureRuleBuilder<TFailure>
{
    private readonly FailurePolicy<TFailure> _policy;
    private readonly Func<TFailure, bool> _matches;
    private readonly bool _otherwise;
    private int _retries;
    private TimeSpan _firstDelay;

    internal FailureRuleBuilder(FailurePolicy<TFailure> policy, Func<TFailure, bool> matches, bool otherwise)
    {
        _policy = policy;
        _matches = matches;
        _otherwise = otherwise;
    }

    /// <summary>Tries the record's work again in place up to <paramref name="retries"/> times, waiting <paramref name="firstDelay"/> and then twice as long each time.</summary>
    public FailureRuleBuilder<TFailure> RetryInPlace(int retries, TimeSpan firstDelay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstDelay, TimeSpan.Zero);
        (_retries, _firstDelay) = (retries, firstDelay);
        return this;
    }

    /// <inheritdoc cref="FailureAction.Replay"/>
    public FailurePolicy<TFailure> Replay() => Then(FailureAction.Replay, null);

    /// <inheritdoc cref="FailureAction.WaitOut"/>
    public FailurePolicy<TFailure> WaitOut() => Then(FailureAction.WaitOut, null);

    /// <inheritdoc cref="FailureAction.SetAside"/>
    public FailurePolicy<TFailure> SetAside() => Then(FailureAction.SetAside, DeadLetterReasons.Unprocessable);

    /// <inheritdoc cref="FailureAction.DeadLetter"/>
    public FailurePolicy<TFailure> DeadLetter(string reason) => Then(FailureAction.DeadLetter, reason);

    private FailurePolicy<TFailure> Then(FailureAction action, string? reason) =>
        _policy.Add(new FailureRule<TFailure>(_matches, _retries, _firstDelay, action, reason), _otherwise);
}
