using System.Globalization;
using System.Text.Json;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// The variables Kubernetes puts into every pod for each Service of its namespace unless service links are off
/// (<c>{NAME}_SERVICE_HOST</c>, <c>{NAME}_PORT=tcp://{ip}:{first port}</c>, <c>{NAME}_PORT_{port}_TCP…</c>), for the
/// Services that Aspir8 makes: one per published resource with bindings, named after it. A container's own variables
/// take precedence over them, as the kubelet does it.
/// </summary>
internal static class KubernetesServiceLinks
{
    public static Dictionary<string, string> For(PublishedManifest manifest, string clusterIp)
    {
        var links = new Dictionary<string, string>();
        foreach (var name in manifest.Names)
        {
            if (!manifest[name].TryGetProperty("bindings", out var bindings))
            {
                continue;
            }

            var ports = bindings.EnumerateObject()
                .Select(binding => binding.Value.TryGetProperty("targetPort", out var port) ? port.GetInt32() : (int?)null)
                .OfType<int>()
                .ToList();
            if (ports.Count == 0)
            {
                continue;
            }

            var prefix = name.ToUpperInvariant().Replace('-', '_');
            links[$"{prefix}_SERVICE_HOST"] = clusterIp;
            links[$"{prefix}_SERVICE_PORT"] = ports[0].ToString(CultureInfo.InvariantCulture);
            links[$"{prefix}_PORT"] = $"tcp://{clusterIp}:{ports[0]}";
            foreach (var port in ports)
            {
                links[$"{prefix}_PORT_{port}_TCP"] = $"tcp://{clusterIp}:{port}";
                links[$"{prefix}_PORT_{port}_TCP_PROTO"] = "tcp";
                links[$"{prefix}_PORT_{port}_TCP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
                links[$"{prefix}_PORT_{port}_TCP_ADDR"] = clusterIp;
            }
        }

        return links;
    }

    /// <summary>The environment <paramref name="resource"/>'s container starts with in such a namespace.</summary>
    public static Dictionary<string, string> Merge(PublishedManifest manifest, string resource, string clusterIp)
    {
        var environment = For(manifest, clusterIp);
        foreach (var (key, value) in manifest.Environment(resource))
        {
            environment[key] = value;
        }

        return environment;
    }
}
