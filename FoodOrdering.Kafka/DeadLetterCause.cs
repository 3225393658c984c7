namespace FoodOrdering.Kafka;

/// <summary>What a dead letter says about itself: a reason from <see cref="DeadLetterReasons"/>, the error text and its type.</summary>
public readonly record struct DeadLetterCause(string Reason, string Error, string ErrorType)
{
    public static DeadLetterCause Of(string reason, Exception error) =>
        new(reason, error.Message, error.GetType().FullName ?? error.GetType().Name);
}
