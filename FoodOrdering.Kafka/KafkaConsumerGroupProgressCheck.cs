using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Kafka;

/// <summary>
/// The progress of a group whose members run side by side in one service: as ready as its least ready member, so
/// one stalled worker is not hidden by the others moving.
/// </summary>
internal sealed class KafkaConsumerGroupProgressCheck(string groupId, IEnumerable<(int Member, KafkaConsumerMonitor Monitor)> monitors) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var results = new List<HealthCheckResult>();
        foreach (var (member, monitor) in monitors)
        {
            var result = await monitor.CheckHealthAsync(context, cancellationToken);
            results.Add(new HealthCheckResult(result.Status, $"member {member}: {result.Description}"));
        }

        if (results.Count == 0)
        {
            return HealthCheckResult.Degraded($"Consumer group {groupId}: no consumer started yet");
        }

        var worst = results.MinBy(result => result.Status);
        return new HealthCheckResult(worst.Status, string.Join("; ", results.Select(result => result.Description)));
    }
}
