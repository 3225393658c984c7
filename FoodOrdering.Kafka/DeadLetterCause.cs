namespace FoodOrdering.Kafka;

/// <summary>What a dead letter says about itself: a reason from <see cref="DeadLetterReasons"/>, the error text and its type.</summary>
public readonly record struct DeadLetterCause(string Reason, string Error, string ErrorType)
{
    /// <summary>The error text with every email address in it masked: it is logged and travels in a header.</summary>
    public string Error { get; } = Pii.MaskEmailsIn(Error);

    public static DeadLetterCause Of(string reason, Exception error) =>
        new(reason, error.Message, error.GetType().FullName ?? error.GetType().Name);
}
