using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.AppHost.Containers;

/// <summary>Healthy when the broker behind a connection string answers a metadata request.</summary>
internal sealed class KafkaClusterHealthCheck(Func<string?> bootstrapServers) : IHealthCheck
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
                using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers }).Build();
                return admin.GetMetadata(Timeout).Brokers.Count > 0
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("The cluster reported no brokers");
            }
            catch (KafkaException e)
            {
                return HealthCheckResult.Unhealthy("Kafka is unreachable", e);
            }
        }, cancellationToken);
}
