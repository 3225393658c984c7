namespace FoodOrdering.Embedded.Clients;

/// <summary>
/// What a service changes in its own clients when it runs against librdkafka's mock broker; read once, when the
/// service registers its clients.
/// </summary>
public sealed class EmbeddedBrokerOptions
{
    public const string SectionName = "EmbeddedBroker";

    /// <summary>
    /// Commit each committed transaction's offsets through the consumer as well: the mock broker acknowledges offsets
    /// sent to a transaction without storing them. Off, the default, the transaction alone commits them, as on Kafka.
    /// </summary>
    public bool CommitOffsetsAfterTransaction { get; set; }
}
