using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Transactions.Indexing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FoodOrdering.Tests.Support;

/// <summary>The Transactions service's indexer registration alone, in a generic host, with retries and batches sped up for tests.</summary>
internal static class AnalyticsIndexerHost
{
    public static async Task<RunningHost> StartAsync(
        string bootstrapServers, string? elasticsearch, int batchSize = 50, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "FoodOrdering.Transactions",
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = bootstrapServers,
            [$"ConnectionStrings:{ConnectionNames.Elasticsearch}"] = elasticsearch,
            ["Indexer:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Indexer:BatchMaxWait"] = "00:00:00.100",
            ["Indexer:IdleWait"] = "00:00:00.100",
            ["Indexer:FirstRetryDelay"] = "00:00:00.010",
            ["Indexer:MaxRetryDelay"] = "00:00:00.100",
            ["Indexer:TemplateRetryInterval"] = "00:00:00.200",
            [$"Aspire:Confluent:Kafka:Consumer:{ConsumerGroups.Indexer}:Config:AutoCommitIntervalMs"] = "100",
            // The embedded mock broker hands a closed member's partitions on only when its session times out, so a
            // restarted indexer would otherwise wait the default 45 s.
            [$"Aspire:Confluent:Kafka:Consumer:{ConsumerGroups.Indexer}:Config:SessionTimeoutMs"] = "6000",
            [$"Aspire:Confluent:Kafka:Consumer:{ConsumerGroups.Indexer}:Config:HeartbeatIntervalMs"] = "500",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddMetrics();
        builder.Logging.AddFakeLogging();
        builder.AddAnalyticsIndexer();
        var host = builder.Build();
        await host.StartAsync();
        return new RunningHost(host);
    }

    /// <summary>What the indexer logged so far, formatted.</summary>
    public static IReadOnlyList<string> Logs(RunningHost host) =>
        [.. host.Host.Services.GetFakeLogCollector().GetSnapshot().Select(record => $"{record.Level} {record.Message}")];

    public static async Task<HealthReportEntry> HealthAsync(RunningHost host) =>
        (await host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["analytics-indexer"];

    /// <summary>The indexer group's committed offsets, summed over the partitions of orders.analytics.</summary>
    public static long CommittedOffsets(string bootstrapServers)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = ConsumerGroups.Indexer,
            EnableAutoCommit = false,
        }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(Topics.OrdersAnalytics, TestTimeouts.Call).Topics.Single().Partitions
            .Select(partition => new TopicPartition(Topics.OrdersAnalytics, partition.PartitionId));
        return consumer.Committed(partitions, TestTimeouts.Call).Sum(committed => Math.Max(committed.Offset.Value, 0));
    }
}

/// <summary>A started host that is stopped (so its workers finish) before it is disposed.</summary>
internal sealed class RunningHost(IHost host) : IAsyncDisposable
{
    public IHost Host { get; } = host;

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
