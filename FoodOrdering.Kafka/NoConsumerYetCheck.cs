using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Kafka;

/// <summary>Stands for a group's broker check until its first member is built: the service is still starting.</summary>
internal sealed class NoConsumerYetCheck(string groupId) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Degraded($"Consumer group {groupId}: no consumer started yet"));
}
