using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FoodOrdering.Contracts;
using FoodOrdering.TopicProvisioner;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Tests.Unit;

/// <summary>The provisioning step's plan and settings; its calls to a broker are in ContainersKafkaSetupTests.</summary>
public sealed class TopicProvisioningTests
{
    [Fact]
    public void EveryTopicOfTheContractsIsPlannedWithTheConfiguredPartitionsReplicasMinInSyncReplicasAndRetention()
    {
        var options = new TopicProvisioningOptions { Partitions = 12, ReplicationFactor = 3, MinInSyncReplicas = 2, Retention = TimeSpan.FromDays(3) };

        var specifications = TopicPlan.Specifications(Topics.All, options);

        Assert.Equal(Topics.All, specifications.Select(s => s.Name));
        Assert.All(specifications, specification =>
        {
            Assert.Equal(12, specification.NumPartitions);
            Assert.Equal(3, specification.ReplicationFactor);
            Assert.Equal("2", specification.Configs["min.insync.replicas"]);
            Assert.Equal("259200000", specification.Configs["retention.ms"]);
        });
    }

    [Fact]
    public void TheOrderIdClaimsAndTheConsumptionControlsAreCompactedAndEveryOtherTopicIsALogOnly()
    {
        var specifications = TopicPlan.Specifications(Topics.All, new TopicProvisioningOptions());

        var compacted = specifications.Where(s => s.Configs.ContainsKey("cleanup.policy")).ToDictionary(s => s.Name, s => s.Configs["cleanup.policy"]);
        Assert.Equal(2, compacted.Count);
        Assert.Equal("compact,delete", compacted[Topics.OrderIdClaims]);
        // Retention must never drop a group's pause: only a later command replaces it.
        Assert.Equal("compact", compacted[Topics.ConsumptionControl]);
    }

    [Fact]
    public void ATopicThatAlreadyExistsIsInPlaceButAnyOtherErrorFailsNamingTheTopic()
    {
        List<CreateTopicReport> results =
        [
            new() { Topic = Topics.OrdersReceived, Error = new Error(ErrorCode.NoError) },
            new() { Topic = Topics.OrdersConfirmed, Error = new Error(ErrorCode.TopicAlreadyExists) },
            new() { Topic = Topics.EmailsSent, Error = new Error(ErrorCode.InvalidReplicationFactor, "Replication factor: 3 larger than available brokers: 1.") },
        ];

        Assert.Empty(TopicPlan.Failures(results[..2]));
        Assert.Equal(["emails.sent: Replication factor: 3 larger than available brokers: 1. (InvalidReplicationFactor)"], TopicPlan.Failures(results));
    }

    [Fact]
    public void OnlyTopicsTheBrokersDoNotListAreToBeCreated()
    {
        List<TopicMetadata> existing =
        [
            Metadata(Topics.OrdersReceived, partitions: 3),
            new(Topics.OrdersConfirmed, [], new Error(ErrorCode.LeaderNotAvailable)),
            new(Topics.OrdersRejected, [], new Error(ErrorCode.UnknownTopicOrPart)),
        ];

        var missing = TopicPlan.Missing([Topics.OrdersReceived, Topics.OrdersConfirmed, Topics.OrdersRejected, Topics.EmailsSent], existing);

        Assert.Equal([Topics.OrdersRejected, Topics.EmailsSent], missing);
    }

    [Fact]
    public void TopicsWithFewerPartitionsThanPlannedAreReportedWithHowToAddThem()
    {
        List<TopicMetadata> existing =
        [
            Metadata(Topics.OrdersReceived, partitions: 1),
            Metadata(Topics.OrdersConfirmed, partitions: 6),
            Metadata("someone-elses-topic", partitions: 1),
        ];

        var shortfalls = TopicPlan.FewerPartitions(Topics.All, existing, partitions: 6);

        Assert.Equal(
            ["orders.received has 1 of the 6 partitions planned (kafka-topics --alter --topic orders.received --partitions 6 adds them; keys then move to other partitions)"],
            shortfalls);
    }

    [Theory]
    [InlineData("localhost:9092", "MinInSyncReplicas", "2", "MinInSyncReplicas (2) must not exceed ReplicationFactor (1)")]
    [InlineData("localhost:9092", "Partitions", "0", "Partitions")]
    [InlineData(null, "Partitions", "3", "ConnectionStrings:kafka")]
    public async Task SettingsThatCannotWorkStopTheStepAsItStartsSayingWhy(string? kafka, string key, string value, string message)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = kafka,
            [$"TopicProvisioning:{key}"] = value,
        });
        builder.AddTopicProvisioning();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TheAdminClientConnectsWithTheSecuritySettingsTheAppHostHandsEveryKafkaClient()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = "pkc-1.example.cloud:9092",
            ["Aspire:Confluent:Kafka:Producer:Config:SecurityProtocol"] = "SaslSsl",
            ["Aspire:Confluent:Kafka:Producer:Config:SaslMechanism"] = "Plain",
            ["Aspire:Confluent:Kafka:Producer:Config:SaslUsername"] = "api-key-1",
            ["Aspire:Confluent:Kafka:Producer:Config:SaslPassword"] = "not-a-real-secret",
            ["Aspire:Confluent:Kafka:Producer:Config:LingerMs"] = "5",
        });
        builder.AddTopicProvisioning();
        using var host = builder.Build();

        var config = host.Services.GetRequiredService<AdminClientConfig>();

        Assert.Equal("pkc-1.example.cloud:9092", config.BootstrapServers);
        Assert.Equal(SecurityProtocol.SaslSsl, config.SecurityProtocol);
        Assert.Equal(SaslMechanism.Plain, config.SaslMechanism);
        Assert.Equal("api-key-1", config.SaslUsername);
        Assert.Equal("not-a-real-secret", config.SaslPassword);
        // A producer-only setting is no admin client setting, and is left out.
        Assert.DoesNotContain(config, setting => setting.Key == "linger.ms");
    }

    private static TopicMetadata Metadata(string topic, int partitions) =>
        new(topic, [.. Enumerable.Range(0, partitions).Select(p => new PartitionMetadata(p, 1, [1], [1], new Error(ErrorCode.NoError)))], new Error(ErrorCode.NoError));
}
