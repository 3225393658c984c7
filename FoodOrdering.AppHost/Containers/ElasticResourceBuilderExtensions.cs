using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// Elasticsearch and Kibana for containers mode, in the shape of Aspire's hosting integrations
/// (Aspire.Hosting.Elasticsearch and the community Kibana one), so either can take its place.
/// </summary>
internal static class ElasticResourceBuilderExtensions
{
    public const string PasswordParameterName = "elasticsearch-password";
    public const string KibanaSystemPasswordParameterName = "kibana-system-password";
    public const string DevelopmentDiskThresholdSetting = "cluster.routing.allocation.disk.threshold_enabled";

    private const int ElasticsearchHttpPort = 9200;
    private const int ElasticsearchTransportPort = 9300;
    private const string ElasticsearchDataPath = "/usr/share/elasticsearch/data";
    private const int KibanaPort = 5601;
    private const string LoggerCategory = "FoodOrdering.AppHost.Containers";

    // No special characters: the password sits in the connection string's URL unescaped, as Aspire's does.
    private static readonly GenerateParameterDefault GeneratedPassword = new() { MinLength = 22, Special = false };

    /// <summary>
    /// A single-node Elasticsearch with security on; the <c>elastic</c> user's password is the secret parameter
    /// <c>elasticsearch-password</c> (generated once and kept in the AppHost's user secrets unless set).
    /// </summary>
    public static IResourceBuilder<ElasticsearchResource> AddElasticsearchContainer(this IDistributedApplicationBuilder builder, string name)
    {
        var options = ContainersOptions.From(builder.Configuration);
        var password = builder.AddParameter(PasswordParameterName, GeneratedPassword, secret: true, persist: true);
        var elasticsearch = new ElasticsearchResource(name, password.Resource);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(elasticsearch, async (_, cancellationToken) =>
            connectionString = await elasticsearch.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheck, _ => new ElasticsearchClusterHealthCheck(() => connectionString), failureStatus: null, tags: null));

        var resource = builder.AddResource(elasticsearch)
            .WithImage(ContainerImageTags.ElasticsearchImage, ContainerImageTags.ElasticsearchTag)
            .WithImageRegistry(ContainerImageTags.ElasticRegistry)
            .WithHttpEndpoint(targetPort: ElasticsearchHttpPort, name: ElasticsearchResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: ElasticsearchTransportPort, name: ElasticsearchResource.InternalEndpointName)
            .WithEnvironment("discovery.type", "single-node")
            .WithEnvironment("xpack.security.enabled", "true")
            .WithEnvironment("ELASTIC_PASSWORD", password)
            .WithEnvironment("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
            .WithHealthCheck(healthCheck)
            .WithUrlForEndpoint(ElasticsearchResource.PrimaryEndpointName, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly)
            .WithUrlForEndpoint(ElasticsearchResource.InternalEndpointName, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);
        // A laptop's nearly full disk must not turn the index read-only (flood-stage watermark) in development; a
        // deployment keeps the watermarks, or a full volume would stop Elasticsearch instead.
        if (builder.ExecutionContext.IsRunMode)
        {
            resource.WithEnvironment(DevelopmentDiskThresholdSetting, "false");
        }

        // A published deployment keeps its index when Elasticsearch restarts.
        if (options.PersistData || builder.ExecutionContext.IsPublishMode)
        {
            resource.WithVolume(VolumeNameGenerator.Generate(resource, "data"), ElasticsearchDataPath);
        }

        return resource;
    }

    /// <summary>
    /// Kibana on <paramref name="elasticsearch"/>'s container network address, signed in as <c>kibana_system</c>
    /// (Kibana refuses the <c>elastic</c> superuser), whose password the one-shot <see cref="KibanaPasswordStep"/>
    /// sets once Elasticsearch is healthy; Kibana waits for that step. When Kibana is healthy a run imports the
    /// <see cref="KibanaSavedObjects"/> and links the dashboard (a deployment imports them as docs/deploy.md says).
    /// </summary>
    public static IResourceBuilder<ElasticsearchResource> WithKibana(this IResourceBuilder<ElasticsearchResource> elasticsearch, string name = "kibana")
    {
        var builder = elasticsearch.ApplicationBuilder;
        var systemPassword = builder.AddParameter(KibanaSystemPasswordParameterName, GeneratedPassword, secret: true);
        var kibana = new KibanaResource(name, elasticsearch.Resource, systemPassword.Resource);

        var passwordStep = builder.AddContainer($"{name}-password", ContainerImageTags.ElasticsearchImage, ContainerImageTags.ElasticsearchTag)
            .WithImageRegistry(ContainerImageTags.ElasticRegistry)
            .WithArgs("/bin/bash", "-c", KibanaPasswordStep.Script)
            .WithEnvironment(KibanaPasswordStep.ElasticsearchUrlVariable, ReferenceExpression.Create(
                $"{elasticsearch.Resource.ContainerNetworkEndpoint.Property(EndpointProperty.Url)}"))
            .WithEnvironment(KibanaPasswordStep.ElasticPasswordVariable, elasticsearch.Resource.PasswordParameter)
            .WithEnvironment(KibanaPasswordStep.SystemPasswordVariable, systemPassword)
            .AsOneShotStep()
            .WithParentRelationship(elasticsearch)
            .WaitFor(elasticsearch);

        builder.Eventing.Subscribe<ResourceReadyEvent>(kibana, async (e, cancellationToken) =>
            await KibanaSetup.Create(Logger(e.Services)).ImportSavedObjectsAsync(
                new UriBuilder(kibana.HttpEndpoint.Url)
                {
                    UserName = ElasticsearchResource.UserName,
                    Password = Uri.EscapeDataString(await kibana.Elasticsearch.PasswordParameter.GetValueAsync(cancellationToken) ?? ""),
                }.Uri,
                cancellationToken));

        builder.AddResource(kibana)
            .WithImage(ContainerImageTags.KibanaImage, ContainerImageTags.KibanaTag)
            .WithImageRegistry(ContainerImageTags.ElasticRegistry)
            .WithHttpEndpoint(targetPort: KibanaPort, name: KibanaResource.HttpEndpointName)
            .WithEnvironment("ELASTICSEARCH_HOSTS", ReferenceExpression.Create(
                $"{elasticsearch.Resource.ContainerNetworkEndpoint.Property(EndpointProperty.Url)}"))
            .WithEnvironment("ELASTICSEARCH_USERNAME", KibanaResource.SystemUserName)
            .WithEnvironment("ELASTICSEARCH_PASSWORD", systemPassword)
            // /api/status answers without credentials, so a plain HTTP health check can read it.
            .WithEnvironment("STATUS_ALLOWANONYMOUS", "true")
            .WithEnvironment("TELEMETRY_OPTIN", "false")
            .WithHttpHealthCheck("/api/status", endpointName: KibanaResource.HttpEndpointName)
            .WithUrlForEndpoint(KibanaResource.HttpEndpointName, url => url.DisplayText = "Kibana")
            .WithUrls(context => context.Urls.Add(new ResourceUrlAnnotation
            {
                Url = KibanaSavedObjects.DashboardPath,
                DisplayText = "Analytics dashboard",
                Endpoint = context.GetEndpoint(KibanaResource.HttpEndpointName),
            }))
            .WithParentRelationship(elasticsearch)
            .WaitFor(elasticsearch)
            .WaitForCompletion(passwordStep);
        return elasticsearch;
    }

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
}
