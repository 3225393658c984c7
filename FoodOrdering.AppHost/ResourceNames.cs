namespace FoodOrdering.AppHost;

internal static class ResourceNames
{
    public const string Producer = "producer";
    public const string Transactions = "transactions";
    public const string Emails = "emails";
    public const string KafkaTopics = "kafka-topics";
    public const string Console = "console";
}
