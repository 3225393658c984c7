using Confluent.Kafka;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Tests.Unit;

/// <summary>How configuration reaches the Kafka clients: what it may set, and what it must not be able to.</summary>
public sealed class KafkaClientSettingsTests
{
    [Fact]
    public void AGroupIdForEveryConsumerDoesNotMergeTheKeyedConsumersIntoOneGroup()
    {
        var builder = Builder(new() { ["Aspire:Confluent:Kafka:Consumer:Config:GroupId"] = "shared" });

        var pricing = KafkaClientExtensions.BuildConsumerSettings(builder, "transactions", "transactions", Shared(builder));
        var indexer = KafkaClientExtensions.BuildConsumerSettings(builder, "analytics-indexer", "analytics-indexer", Shared(builder));

        Assert.Equal("transactions", pricing.Config.GroupId);
        Assert.Equal("analytics-indexer", indexer.Config.GroupId);
    }

    [Fact]
    public void AKeyedConsumersOwnSubsectionMayNameItsGroup()
    {
        var builder = Builder(new() { ["Aspire:Confluent:Kafka:Consumer:transactions:Config:GroupId"] = "pricing-v2" });

        var settings = KafkaClientExtensions.BuildConsumerSettings(builder, "transactions", "transactions", Shared(builder));

        Assert.Equal("pricing-v2", settings.Config.GroupId);
    }

    [Theory]
    [InlineData("Aspire:Confluent:Kafka:Producer:Config:linger.ms")]
    [InlineData("Aspire:Confluent:Kafka:Producer:Config:LingerMillis")]
    public void AConfigKeyThatIsNoPropertyStopsTheStartAndNamesTheSection(string key)
    {
        var builder = Builder(new() { [key] = "5" });

        var error = Assert.Throws<InvalidOperationException>(() =>
            KafkaClientExtensions.BuildProducerSettings(builder, "kafka", "producer", 5, null));

        Assert.Contains("Aspire:Confluent:Kafka:Producer:Config holds a key that is not a property of ProducerConfig", error.Message);
        Assert.Contains(key.Split(':')[^1], error.Message);
    }

    [Fact]
    public void TypedConfigKeysReachTheClientConfig()
    {
        var builder = Builder(new() { ["Aspire:Confluent:Kafka:Producer:Config:LingerMs"] = "7", ["Aspire:Confluent:Kafka:Producer:Config:SecurityProtocol"] = "SaslSsl" });

        var settings = KafkaClientExtensions.BuildProducerSettings(builder, "kafka", "producer", 5, null);

        Assert.Equal(7, settings.Config.LingerMs);
        Assert.Equal(SecurityProtocol.SaslSsl, settings.Config.SecurityProtocol);
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["ConnectionStrings:kafka"] = "localhost:9092" });
        return builder;
    }

    private static Action<KafkaConsumerSettings> Shared(IHostApplicationBuilder builder) =>
        settings => settings.ConnectionString ??= builder.Configuration.GetConnectionString("kafka");
}
