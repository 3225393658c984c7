namespace FoodOrdering.Embedded;

/// <summary>Kafka client settings every service gets when it runs against the embedded broker.</summary>
internal static class EmbeddedKafkaClientSettings
{
    /// <summary>
    /// The mock broker holds a fetch that found nothing for the whole <c>fetch.wait.max.ms</c> (librdkafka's default
    /// is 500 ms), even when records arrive meanwhile; a real broker answers as soon as they do. So the wait is short:
    /// every millisecond of it is latency a steady stream pays, and a shorter one costs CPU in empty fetches. It also
    /// ends a group's rebalance only when a timer of the session timeout less a second runs out, not once every member
    /// has rejoined as a real broker does, and cooperative rebalancing takes two such rounds: so the session is
    /// Kafka's smallest allowed, or a replica joining leaves a partition unread for two of librdkafka's default
    /// sessions. Both chosen by measurement (bench/README.md#settings-chosen-by-measurement). It answers every
    /// lookup of offsets by time with the end of the partition, so the operations console finds times by reading.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Configuration { get; } = new Dictionary<string, string>
    {
        ["Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs"] = "5",
        ["Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs"] = "6000",
        ["Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs"] = "1000",
        // The mock broker answers every lookup of an offset by time with "none": the console's browser and its live
        // analytics find a time by reading the partition instead.
        ["Operations:FindTimesByReading"] = "true",
        // A ListGroups request to the mock broker ends its client's process (a double free in librdkafka).
        ["Operations:ListConsumerGroups"] = "false",
    };
}
