namespace FoodOrdering.AppHost.Containers;

/// <summary>Every container image of containers mode, pinned. Bump them here, together, after trying them.</summary>
internal static class ContainerImageTags
{
    public const string Registry = "docker.io";

    /// <summary>A single-node KRaft Kafka broker (no ZooKeeper), as Aspire's Kafka integration uses.</summary>
    public const string KafkaImage = "confluentinc/confluent-local";
    public const string KafkaTag = "8.1.0";

    public const string KafkaUiImage = "kafbat/kafka-ui";
    public const string KafkaUiTag = "v1.3.0";

    /// <summary>A mail catcher: SMTP on 1025, a web UI on 8025.</summary>
    public const string MailpitImage = "axllent/mailpit";
    public const string MailpitTag = "v1.20.4";
}
