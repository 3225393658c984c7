using System.Globalization;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Cluster;
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
                return new HealthCheckResult(context.Registration.FailureStatus, Describe(response), response.ApiCallDetails.OriginalException);
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

    /// <summary>Elasticsearch's own error type and reason: a 403 names the privilege that <c>_cluster/health</c> needs.</summary>
    private static string Describe(HealthResponse response) =>
        response.ApiCallDetails.HttpStatusCode is not { } status
            ? $"Elasticsearch did not answer _cluster/health ({response.ApiCallDetails.OriginalException?.Message ?? "no response"})"
            : response.ElasticsearchServerError?.Error is { } error
                ? $"Elasticsearch answered _cluster/health with {status.ToString(CultureInfo.InvariantCulture)} {error.Type}: {error.Reason}"
                : $"Elasticsearch answered _cluster/health with {status.ToString(CultureInfo.InvariantCulture)}";
}
