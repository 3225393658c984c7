namespace FoodOrdering.Kafka;

/// <summary>
/// A consumer's one answer to every failure of its work, declared where the consumer is registered, in the shape of
/// Wolverine's error policies: rules tried in order, the first that matches deciding how often the failure is retried
/// in place and what it gets then (<see cref="FailureAction"/>), and the backoff of the consume loop's replay, the only
/// layer outside it. Nothing else in the consumer retries.
/// </summary>
public sealed class FailurePolicy<TFailure>
{
    private readonly List<FailureRule<TFailure>> _rules = [];
    private FailureRule<TFailure>? _otherwise;

    /// <summary>The first wait before the loop replays a failed batch; it doubles up to <see cref="MaxReplayDelay"/>.</summary>
    public TimeSpan FirstReplayDelay { get; private set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxReplayDelay { get; private set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<FailureRule<TFailure>> Rules => _rules;

    /// <summary>Failures that match <paramref name="matches"/> and no earlier rule.</summary>
    public FailureRuleBuilder<TFailure> On(Func<TFailure, bool> matches) => new(this, matches, otherwise: false);

    /// <summary>Failures no rule matches.</summary>
    public FailureRuleBuilder<TFailure> Otherwise() => new(this, _ => true, otherwise: true);

    /// <summary>Whether a failure no rule matches already has its answer.</summary>
    public bool HasOtherwise => _otherwise is not null;

    /// <summary>Replays wait <paramref name="first"/>, doubling up to <paramref name="max"/>; a ceiling below the first wait is every wait.</summary>
    public FailurePolicy<TFailure> ReplayWithBackoff(TimeSpan first, TimeSpan max)
    {
        (FirstReplayDelay, MaxReplayDelay) = (first < max ? first : max, max);
        return this;
    }

    /// <summary>The rule that decides <paramref name="failure"/>.</summary>
    public FailureRule<TFailure> For(TFailure failure) =>
        _rules.Find(rule => rule.Matches(failure))
        ?? _otherwise
        ?? throw new InvalidOperationException($"The failure policy has no rule for {failure} and no Otherwise().");

    /// <summary>The loop's options with this policy's replay backoff.</summary>
    public KafkaConsumeLoopOptions Replaying(KafkaConsumeLoopOptions options) =>
        options with { FirstRetryDelay = FirstReplayDelay, MaxRetryDelay = MaxReplayDelay };

    internal FailurePolicy<TFailure> Add(FailureRule<TFailure> rule, bool otherwise)
    {
        if (otherwise)
        {
            _otherwise = _otherwise is null ? rule : throw new InvalidOperationException("The failure policy has an Otherwise() already.");
        }
        else
        {
            _rules.Add(rule);
        }

        return this;
    }
}
