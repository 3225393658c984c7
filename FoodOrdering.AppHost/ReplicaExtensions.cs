using Microsoft.Extensions.Configuration;

namespace FoodOrdering.AppHost;

internal static class ReplicaExtensions
{
    /// <summary><c>--{Service}:Replicas N</c> given to the AppHost: how many copies of a service run (default 1).</summary>
    public static int ConfiguredReplicas(this IDistributedApplicationBuilder builder, string service)
    {
        var key = ReplicasKey(service);
        var replicas = builder.Configuration.GetValue(key, 1);
        return replicas >= 1 ? replicas : throw new InvalidOperationException($"--{key} must be at least 1, not {replicas}.");
    }

    public static string ReplicasKey(string service) => $"{service}:Replicas";
}
