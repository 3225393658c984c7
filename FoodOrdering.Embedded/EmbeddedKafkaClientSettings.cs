namespace FoodOrdering.Embedded;

/// <summary>Kafka client settings every service gets when it runs against the embedded broker.</summary>
internal static class EmbeddedKafkaClientSettings
{
    /// <summary>
    /// The mock broker holds a fetch that found nothing for the whole <c>fetch.wait.max.ms</c> (librdkafka's default
    /// is 500 ms), even when records arrive meanwhile; a real broker answers as soon as they do. 10 ms was chosen by
    /// measurement (bench/README.md, "Settings chosen by measurement").
    /// </summary>
    public static IReadOnlyDictionary<string, string> Configuration { get; } = new Dictionary<string, string>
    {
        ["Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs"] = "10",
    };
}
