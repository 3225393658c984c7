namespace FoodOrdering.Embedded;

/// <summary>Kafka protocol request types, by their API key, for <see cref="EmbeddedKafkaCluster.InjectRequestErrors"/>.</summary>
internal enum KafkaApiKey : short
{
    Produce = 0,
    Fetch = 1,
    OffsetCommit = 8,
    JoinGroup = 11,
    InitProducerId = 22,
    AddPartitionsToTxn = 24,
    AddOffsetsToTxn = 25,
    EndTxn = 26,
    TxnOffsetCommit = 28,
}
