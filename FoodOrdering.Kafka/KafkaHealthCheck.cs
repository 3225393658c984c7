using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Kafka;

/// <summary>Healthy when the broker answers a metadata request over the client's own connection.</summary>
internal sealed class KafkaHealthCheck(Handle clientHandle) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            try
            {
                using var admin = new DependentAdminClientBuilder(clientHandle).Build();
                var metadata = admin.GetMetadata(Timeout);
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s) reachable")
                    : HealthCheckResult.Unhealthy("The cluster reported no brokers");
            }
            catch (KafkaException e)
            {
                return HealthCheckResult.Unhealthy("Kafka is unreachable", e);
            }
        }, cancellationToken);
}
