using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// Healthy when the broker behind the connection string answers a metadata request and advertises that same
/// address. A broker that advertises another one answers the first request and then sends every client elsewhere,
/// so answering alone proves nothing. Meant for a broker the AppHost runs itself, whose clients bootstrap from the
/// address it advertises (a managed cluster's bootstrap name may differ from its brokers').
/// </summary>
internal sealed class KafkaClusterHealthCheck(Func<string?> bootstrapServers, ILogger logger) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            if (bootstrapServers() is not { } servers)
            {
                return HealthCheckResult.Unhealthy("The broker's address is not known yet");
            }

            try
            {
                using var admin = KafkaAdminClients.Create(servers, logger);
                return Check(servers, admin.GetMetadata(Timeout).Brokers);
            }
            catch (KafkaException e)
            {
                return HealthCheckResult.Unhealthy($"Kafka is unreachable at {servers}", e);
            }
        }, cancellationToken);

    private static HealthCheckResult Check(string servers, IReadOnlyCollection<BrokerMetadata> brokers)
    {
        if (brokers.Count == 0)
        {
            return HealthCheckResult.Unhealthy("The cluster reported no brokers");
        }

        var given = servers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var advertised = brokers.Select(broker => $"{broker.Host}:{broker.Port}").ToList();
        return advertised.Any(address => given.Contains(address, StringComparer.OrdinalIgnoreCase))
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(
                $"Kafka answers at {servers} but advertises {string.Join(", ", advertised)}, so its clients would be sent there: " +
                "its advertised listeners (KAFKA_ADVERTISED_LISTENERS) do not match the address the services were given.");
    }
}
