using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// Reports the indexer without ever failing the service: Elasticsearch being down, refusing the indexer or absent is
/// Degraded or an idle Healthy, because order processing does not depend on it. A template that is not in place is
/// Degraded too, though documents flow: the index may lack its mappings.
/// </summary>
internal sealed class IndexerHealthCheck(IndexerStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = status.Current;
        var template = status.TemplateProblem;
        var description = template is null ? current.Description : $"{current.Description}; {template}";
        return Task.FromResult(current.State is IndexerState.Retrying || template is not null
            ? HealthCheckResult.Degraded(description)
            : HealthCheckResult.Healthy(description));
    }
}
