using FoodOrdering.Embedded;
using FoodOrdering.Embedded.Clients;
using FoodOrdering.Kafka;

namespace FoodOrdering.Benchmarks.Infrastructure;

/// <summary>
/// The settings each service gets in the benchmark: what the AppHost gives it for the broker in use (see
/// FoodOrdering.AppHost's WithKafka and WithOrderProcessing), with only warnings logged. In-process hosting adds them
/// to the host's configuration; process hosting passes them as environment variables (<c>:</c> as <c>__</c>).
/// </summary>
internal static class ServiceConfiguration
{
    public const string Transactions = "FoodOrdering.Transactions";
    public const string Emails = "FoodOrdering.Emails";
    public const string Producer = "FoodOrdering.Producer";

    public static Dictionary<string, string?> ForTransactions(BenchmarkKafka kafka)
    {
        var configuration = Base(kafka);
        // The mock broker acknowledges transactional offset commits without storing them (see EmbeddedBrokerOffsetCommitsExtensions).
        configuration[EmbeddedBrokerOffsetCommitsExtensions.CommitOffsetsAfterTransaction] = kafka.IsEmbedded ? "true" : "false";
        return configuration;
    }

    public static Dictionary<string, string?> ForEmails(BenchmarkKafka kafka, string smtpConnectionString)
    {
        var configuration = Base(kafka);
        configuration[$"ConnectionStrings:{ConnectionNames.Smtp}"] = smtpConnectionString;
        return configuration;
    }

    public static Dictionary<string, string?> ForProducer(BenchmarkKafka kafka)
    {
        var configuration = Base(kafka);
        configuration["OrderGenerator:Enabled"] = "false";
        // All the load comes from one address; the per-client rate limit would measure itself.
        configuration["OrderApi:OrdersPerSecondPerClient"] = "0";
        // The order page is not served in process: no wwwroot next to the benchmark.
        configuration["Logging:LogLevel:Microsoft.AspNetCore.StaticFiles"] = "Error";
        // As the Producer's appsettings.json, which a host inside the benchmark does not read: an order Kafka cannot
        // take within 10 s is answered 503.
        configuration["Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs"] = "10000";
        return configuration;
    }

    private static Dictionary<string, string?> Base(BenchmarkKafka kafka)
    {
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = kafka.BootstrapServers,
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
}
