using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Benchmarks.Infrastructure;

/// <summary>
/// Starts a service's real registrations (its <c>AddApplicationServices</c>) in a generic host in this process,
/// as the integration tests do: no service defaults, so no telemetry export, and only warnings logged.
/// </summary>
internal static class ServiceHosts
{
    public static Task<IHost> StartTransactionsAsync(BenchmarkKafka kafka, IReadOnlyDictionary<string, string?> settings) =>
        StartAsync("FoodOrdering.Transactions", FoodOrdering.Transactions.Extensions.AddApplicationServices, Base(kafka), settings);

    public static Task<IHost> StartEmailsAsync(BenchmarkKafka kafka, string smtpConnectionString, IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = Base(kafka);
        configuration[$"ConnectionStrings:{ConnectionNames.Smtp}"] = smtpConnectionString;
        return StartAsync("FoodOrdering.Emails", FoodOrdering.Emails.Extensions.AddApplicationServices, configuration, settings);
    }

    public static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }

    /// <summary>What the AppHost gives a service, plus quieter logging.</summary>
    private static Dictionary<string, string?> Base(BenchmarkKafka kafka)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = kafka.BootstrapServers,
            // The mock broker acknowledges transactional offset commits without storing them (see OrderProcessingOptions).
            ["OrderProcessing:CommitOffsetsAfterTransaction"] = kafka.IsEmbedded ? "true" : "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (kafka.IsEmbedded)
        {
            foreach (var (key, value) in EmbeddedKafkaClientSettings.Configuration)
            {
                configuration[key] = value;
            }
        }

        return configuration;
    }

    private static async Task<IHost> StartAsync(
        string applicationName,
        Action<IHostApplicationBuilder> addServices,
        Dictionary<string, string?> configuration,
        IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = applicationName,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        addServices(builder);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
