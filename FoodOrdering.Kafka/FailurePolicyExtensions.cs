namespace FoodOrdering.Kafka;

public static class FailurePolicyExtensions
{
    /// <summary>Exceptions of type <typeparamref name="TException"/> (for which <paramref name="when"/> holds) that no earlier rule matches.</summary>
    public static FailureRuleBuilder<Exception> On<TException>(this FailurePolicy<Exception> policy, Func<TException, bool>? when = null)
        where TException : Exception =>
        policy.On(e => e is TException matched && (when is null || when(matched)));
}
