using Confluent.Kafka;
using FoodOrdering.Kafka;

namespace FoodOrdering.Operations;

/// <summary>
/// The console's own clients of the cluster: read_committed readers that are assigned partitions and never join a
/// group (so looking never disturbs a consumer group), and an admin client. Their settings come from the same
/// <c>Aspire:Confluent:Kafka:Consumer</c> section as every service's consumers, security for a managed cluster included.
/// </summary>
internal sealed class ConsoleKafka(ConsumerConfig reader)
{
    /// <summary>The group id the readers carry; they never subscribe, so it never has members or offsets.</summary>
    public const string ReaderGroupId = "foodordering-operations";

    public static ConsoleKafka From(IHostApplicationBuilder builder)
    {
        var settings = KafkaClientExtensions.BuildConsumerSettings(builder, ConnectionNames.Kafka, serviceKey: null,
            configure => configure.Config.GroupId = ReaderGroupId);
        var config = new ConsumerConfig(settings.Config.ToDictionary(pair => pair.Key, pair => pair.Value))
        {
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            StatisticsIntervalMs = 0,
        };
        return new ConsoleKafka(config);
    }

    public IConsumer<byte[]?, byte[]?> CreateReader(string purpose) =>
        new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig(reader.ToDictionary(pair => pair.Key, pair => pair.Value))
        {
            ClientId = $"{reader.ClientId}-{purpose}",
        }).Build();

    public IAdminClient CreateAdmin() =>
        new AdminClientBuilder(reader.Where(pair => !pair.Key.StartsWith("group.", StringComparison.Ordinal) && IsClientWide(pair.Key))).Build();

    // An admin client takes only settings every client has; consumer-only ones would fail its construction.
    private static bool IsClientWide(string key) => key is "bootstrap.servers" or "client.id"
        || key.StartsWith("security.", StringComparison.Ordinal) || key.StartsWith("sasl.", StringComparison.Ordinal)
        || key.StartsWith("ssl.", StringComparison.Ordinal);
}
