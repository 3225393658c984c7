using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// The AppHost's model with its endpoints allocated the way the orchestrator allocates them for a run, without
/// starting anything: each endpoint gets a host port on localhost that differs from its target port, a container's
/// endpoints are also reachable on the container network at <c>{name}.dev.internal:{target port}</c> (and by the bare
/// name), and a service's at <c>host.docker.internal:{port}</c>. Environments are then resolved as a run resolves
/// them, with the resource itself as the caller.
/// </summary>
internal sealed class SimulatedRun : IAsyncDisposable
{
    private const string ContainerHostName = "host.docker.internal";
    private const string ContainerNetworkSuffix = ".dev.internal";
    private const int FirstHostPort = 50_000;

    private readonly IDistributedApplicationTestingBuilder _builder;

    private SimulatedRun(IDistributedApplicationTestingBuilder builder)
    {
        _builder = builder;
        var hostPort = FirstHostPort;
        foreach (var resource in builder.Resources.OfType<IResourceWithEndpoints>())
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                var port = endpoint.Port ?? hostPort++;
                var target = endpoint.TargetPort ?? port;
                var targetExpression = target.ToString(CultureInfo.InvariantCulture);
                endpoint.AllocatedEndpoint = new AllocatedEndpoint(
                    endpoint, "localhost", port, EndpointBindingMode.SingleAddress, targetExpression, KnownNetworkIdentifiers.LocalhostNetwork);
                var onContainerNetwork = resource is ContainerResource
                    ? new AllocatedEndpoint(endpoint, resource.Name + ContainerNetworkSuffix, target, EndpointBindingMode.SingleAddress, targetExpression, KnownNetworkIdentifiers.DefaultAspireContainerNetwork)
                    : new AllocatedEndpoint(endpoint, ContainerHostName, port, EndpointBindingMode.SingleAddress, targetExpression, KnownNetworkIdentifiers.DefaultAspireContainerNetwork);
                endpoint.AllAllocatedEndpoints.AddOrUpdateAllocatedEndpoint(KnownNetworkIdentifiers.DefaultAspireContainerNetwork, onContainerNetwork);
            }
        }
    }

    public IEnumerable<ContainerResource> Containers => _builder.Resources.OfType<ContainerResource>();

    public static async Task<SimulatedRun> CreateAsync(string[] args) =>
        new(await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(args));

    public (int Host, int Target) Port(string resource, string endpointName)
    {
        var endpoint = Endpoints(resource).Single(e => e.Name == endpointName);
        return (endpoint.AllocatedEndpoint!.Port, endpoint.TargetPort ?? endpoint.AllocatedEndpoint.Port);
    }

    /// <summary>The resource's environment as the orchestrator hands it over, every value resolved for that resource.</summary>
    public async Task<Dictionary<string, string>> EnvironmentOf(string name)
    {
        var resource = _builder.Resources.Single(r => r.Name == name);
        using var timeout = new CancellationTokenSource(TestTimeouts.Call);
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(_builder.ExecutionContext, NullLogger.Instance, timeout.Token);
        if (configuration.Exception is { } error)
        {
            throw new InvalidOperationException($"Resolving {name}'s environment failed", error);
        }

        return configuration.EnvironmentVariables.ToDictionary();
    }

    /// <summary>Where a process on the host lands when it connects to <paramref name="address"/>.</summary>
    public (string Resource, int TargetPort) FromHost(string address) =>
        TryFromHost(address, out var target) ? target : throw new Xunit.Sdk.XunitException($"No endpoint is published on the host at {address}.");

    /// <summary>Where a container lands when it connects to <paramref name="address"/>.</summary>
    public (string Resource, int TargetPort) FromContainer(string address) =>
        TryFromContainer(address, out var target) ? target : throw new Xunit.Sdk.XunitException($"No container or service answers at {address} on the container network.");

    public bool TryFromHost(string address, out (string Resource, int TargetPort) target)
    {
        var (host, port) = Addresses.Split(address);
        var endpoint = host is "localhost" or "127.0.0.1"
            ? AllEndpoints().FirstOrDefault(e => e.Endpoint.AllocatedEndpoint!.Port == port)
            : default;
        target = endpoint.Resource is null ? default : (endpoint.Resource.Name, endpoint.Endpoint.TargetPort ?? port);
        return endpoint.Resource is not null;
    }

    public bool TryFromContainer(string address, out (string Resource, int TargetPort) target)
    {
        var (host, port) = Addresses.Split(address);
        var endpoint = host == ContainerHostName
            ? AllEndpoints().FirstOrDefault(e => e.Resource is not ContainerResource && e.Endpoint.AllocatedEndpoint!.Port == port)
            : AllEndpoints().FirstOrDefault(e => e.Resource is ContainerResource
                && (host == e.Resource.Name || host == e.Resource.Name + ContainerNetworkSuffix) && e.Endpoint.TargetPort == port);
        target = endpoint.Resource is null ? default : (endpoint.Resource.Name, port);
        return endpoint.Resource is not null;
    }

    public ValueTask DisposeAsync() => _builder.DisposeAsync();

    private IEnumerable<EndpointAnnotation> Endpoints(string resource) =>
        _builder.Resources.Single(r => r.Name == resource).Annotations.OfType<EndpointAnnotation>();

    private IEnumerable<(IResource Resource, EndpointAnnotation Endpoint)> AllEndpoints() =>
        _builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>().Select(e => (r, e)));
}
