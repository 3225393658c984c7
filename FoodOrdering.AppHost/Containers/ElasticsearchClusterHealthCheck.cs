using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.AppHost.Containers;

/// <summary>Healthy when <c>_cluster/health</c>, asked with the credentials in the connection string, says green or yellow.</summary>
internal sealed class ElasticsearchClusterHealthCheck(Func<string?> connectionString) : IHealthCheck
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (connectionString() is not { } url)
        {
            return HealthCheckResult.Unhealthy("Elasticsearch's address is not known yet");
        }

        try
        {
            using var response = await Http.SendAsync(ElasticsearchRequests.Create(HttpMethod.Get, new Uri(url), "/_cluster/health"), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return HealthCheckResult.Unhealthy($"_cluster/health answered {(int)response.StatusCode}");
            }

            using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var status = health.RootElement.GetProperty("status").GetString();
            return status is "green" or "yellow"
                ? HealthCheckResult.Healthy($"Cluster is {status}")
                : HealthCheckResult.Unhealthy($"Cluster is {status}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return HealthCheckResult.Unhealthy("Elasticsearch is unreachable", e);
        }
    }
}
