using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// Reports the indexer without ever failing the service: Elasticsearch being down or absent is Degraded or an idle
/// Healthy, because order processing does not depend on it.
/// </summary>
internal sealed class IndexerHealthCheck(IndexerStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = status.Current;
        return Task.FromResult(current.State is IndexerState.WaitingForElasticsearch or IndexerState.Retrying
            ? HealthCheckResult.Degraded(current.Description)
            : HealthCheckResult.Healthy(current.Description));
    }
}
