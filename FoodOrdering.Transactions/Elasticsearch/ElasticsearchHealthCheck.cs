using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Elasticsearch;

/// <summary>Healthy when the cluster answers <c>_cluster/health</c> with green or yellow (one node has no replicas).</summary>
internal sealed class ElasticsearchHealthCheck(ElasticsearchClient client, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var response = await client.Cluster.HealthAsync(deadline.Token);
            if (!response.IsValidResponse)
            {
                return new HealthCheckResult(context.Registration.FailureStatus,
                    $"Elasticsearch did not answer _cluster/health ({response.ApiCallDetails.HttpStatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no response"})",
                    response.ApiCallDetails.OriginalException);
            }

            return response.Status == Elastic.Clients.Elasticsearch.HealthStatus.Red
                ? new HealthCheckResult(context.Registration.FailureStatus, $"Cluster {response.ClusterName} is red")
                : HealthCheckResult.Healthy($"Cluster {response.ClusterName} is {response.Status.ToString().ToLowerInvariant()}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Elasticsearch did not answer within {timeout}");
        }
    }
}
