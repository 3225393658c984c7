namespace FoodOrdering.Kafka;

/// <summary>Headers added to a dead-lettered message, beside its original key, value and headers.</summary>
public static class DeadLetterHeaders
{
    public const string Error = "dead-letter.error";
    public const string ErrorType = "dead-letter.error-type";
    public const string SourceTopic = "dead-letter.source-topic";
    public const string SourcePartition = "dead-letter.source-partition";
    public const string SourceOffset = "dead-letter.source-offset";
    public const string ConsumerGroup = "dead-letter.consumer-group";
}
