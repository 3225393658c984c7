using System.Globalization;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// The AppHost's model as a publisher sees it: environments as manifest expressions, with every endpoint binding
/// replaced by what a deployment on one network gives it (the resource's name and the endpoint's target port).
/// Parameters stay as <c>{name.value}</c>.
/// </summary>
internal sealed partial class PublishedModel(IResourceCollection resources)
{
    public async Task<Dictionary<string, string>> EnvironmentOf(string name)
    {
        var environment = await ManifestEnvironment.OfAsync(resources.Single(r => r.Name == name), DistributedApplicationOperation.Publish);
        return environment.ToDictionary(variable => variable.Key, variable => Resolve(variable.Value));
    }

    /// <summary>Whether the resource is left out of the published manifest.</summary>
    public bool IsExcluded(string name) =>
        resources.Single(r => r.Name == name).Annotations.OfType<ManifestPublishingCallbackAnnotation>().Any(a => a.Callback is null);

    private string Resolve(string expression) => Binding().Replace(expression, match =>
    {
        if (resources.SingleOrDefault(r => r.Name == match.Groups["resource"].Value) is not { } resource)
        {
            // A part Aspire generates and publishes beside the resources, such as Redis' conditional TLS suffix
            // ({cond-redis-bindings-tcp-tlsenabled-….connectionString}): it holds no address.
            return match.Value;
        }

        if (match.Groups["property"].Value == "connectionString")
        {
            return Resolve(((IResourceWithConnectionString)resource).ConnectionStringExpression.ValueExpression);
        }

        var endpoint = resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == match.Groups["endpoint"].Value);
        var port = endpoint.TargetPort?.ToString(CultureInfo.InvariantCulture) ?? match.Value;
        return match.Groups["property"].Value switch
        {
            "host" => resource.Name,
            "port" or "targetPort" => port,
            "url" => $"{endpoint.UriScheme}://{resource.Name}:{port}",
            _ => match.Value,
        };
    });

    [GeneratedRegex(@"\{(?<resource>[\w-]+)\.(?:bindings\.(?<endpoint>[\w-]+)\.)?(?<property>connectionString|host|port|targetPort|url)\}")]
    private static partial Regex Binding();
}
