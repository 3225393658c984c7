using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Kafka;

/// <summary>Degraded while an operator has paused the group: its records wait on their topic, on purpose.</summary>
internal sealed class ConsumptionPausedCheck(string consumerGroup, ConsumptionStates states) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(states.PausedBy(consumerGroup) is { } pause
            ? HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture, $"{consumerGroup} paused by an operator at {pause.At:O}"))
            : HealthCheckResult.Healthy($"{consumerGroup} consuming"));
}
