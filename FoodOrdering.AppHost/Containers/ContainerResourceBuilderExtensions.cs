using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// Containers mode's resources, in the shape of Aspire's own hosting integrations (Aspire.Hosting.Kafka and the
/// community Mailpit one), so either can take its place.
/// </summary>
internal static class ContainerResourceBuilderExtensions
{
    private const int KafkaPort = 9092;
    private const int KafkaInternalPort = 9093;
    private const string KafkaDataPath = "/var/lib/kafka/data";
    private const int KafkaUiPort = 8080;
    public const string KubernetesServiceLinkVariable = "KAFKA_PORT";
    private const int MailpitSmtpPort = 1025;
    private const int MailpitHttpPort = 8025;

    /// <summary>
    /// A single-node KRaft broker; healthy once it answers at, and advertises, the address the services are given.
    /// </summary>
    public static IResourceBuilder<KafkaContainerResource> AddKafkaContainer(this IDistributedApplicationBuilder builder, string name)
    {
        var options = ContainersOptions.From(builder.Configuration);
        var kafka = new KafkaContainerResource(name);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(kafka, async (_, cancellationToken) =>
            connectionString = await kafka.ConnectionStringExpression.GetValueAsync(cancellationToken));

        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheck, services => new KafkaClusterHealthCheck(() => connectionString, Logger(services)), failureStatus: null, tags: null));

        var resource = builder.AddResource(kafka)
            .WithImage(ContainerImageTags.KafkaImage, ContainerImageTags.KafkaTag)
            .WithImageRegistry(ContainerImageTags.Registry)
            .WithEndpoint(targetPort: KafkaPort, name: KafkaContainerResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: KafkaInternalPort, name: KafkaContainerResource.InternalEndpointName)
            .WithEnvironment(context => ConfigureListeners(context, kafka))
            // Topics come from the kafka-topics step with their partitions and settings, never from a first produce.
            .WithEnvironment("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .WithEnvironment("KAFKA_HEAP_OPTS", "-Xms256m -Xmx512m")
            // Kubernetes' service links put KAFKA_PORT=tcp://<ip>:9092 into every pod of a namespace with a Service
            // named kafka, this one's included, and the image's configure script exits 1 on a non-empty KAFKA_PORT
            // (its deprecated port setting). A variable of the container's own takes precedence over a service link.
            .WithEnvironment(KubernetesServiceLinkVariable, "")
            .WithHealthCheck(healthCheck);
        // A published deployment keeps its messages when the broker restarts.
        if (options.PersistData || builder.ExecutionContext.IsPublishMode)
        {
            resource.WithVolume(VolumeNameGenerator.Generate(resource, "data"), KafkaDataPath)
                .WithEnvironment("KAFKA_LOG_DIRS", KafkaDataPath);
        }

        return resource;
    }

    /// <summary>Kafka UI, attached to <paramref name="kafka"/> over the container network and linked from the dashboard.</summary>
    public static IResourceBuilder<KafkaContainerResource> WithKafkaUI(this IResourceBuilder<KafkaContainerResource> kafka, string name = "kafka-ui")
    {
        kafka.ApplicationBuilder.AddContainer(name, ContainerImageTags.KafkaUiImage, ContainerImageTags.KafkaUiTag)
            .WithImageRegistry(ContainerImageTags.Registry)
            .WithHttpEndpoint(targetPort: KafkaUiPort, name: "http")
            .WithEnvironment("KAFKA_CLUSTERS_0_NAME", kafka.Resource.Name)
            .WithEnvironment("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS",
                ReferenceExpression.Create($"{kafka.Resource.InternalEndpoint.Property(EndpointProperty.HostAndPort)}"))
            .WithHttpHealthCheck("/actuator/health", endpointName: "http")
            .WithUrlForEndpoint("http", url => url.DisplayText = "Kafka UI")
            .WithParentRelationship(kafka)
            // Running is enough: Kafka UI reconnects by itself, and a failed topic creation must not keep it from starting.
            .WaitForStart(kafka)
            .ExcludeFromManifest();
        return kafka;
    }

    /// <summary>Mailpit: the <c>smtp</c> connection string points at its SMTP port; its web UI is linked from the dashboard.</summary>
    public static IResourceBuilder<MailpitResource> AddMailpit(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new MailpitResource(name))
            .WithImage(ContainerImageTags.MailpitImage, ContainerImageTags.MailpitTag)
            .WithImageRegistry(ContainerImageTags.Registry)
            .WithEndpoint(targetPort: MailpitSmtpPort, name: MailpitResource.SmtpEndpointName)
            .WithHttpEndpoint(targetPort: MailpitHttpPort, name: MailpitResource.HttpEndpointName)
            .WithEnvironment("MP_MAX_MESSAGES", "5000")
            .WithEnvironment("MP_SMTP_AUTH_ACCEPT_ANY", "1")
            .WithEnvironment("MP_SMTP_AUTH_ALLOW_INSECURE", "1")
            .WithHttpHealthCheck("/readyz", endpointName: MailpitResource.HttpEndpointName)
            .WithUrlForEndpoint(MailpitResource.HttpEndpointName, url => url.DisplayText = "Mail UI")
            .WithUrlForEndpoint(MailpitResource.SmtpEndpointName, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);

    private static void ConfigureListeners(EnvironmentCallbackContext context, KafkaContainerResource kafka)
    {
        // confluent-local's defaults plus two listeners: one published to the host (the services) and one on the
        // container network, where other containers reach the broker by its resource name.
        context.EnvironmentVariables["KAFKA_LISTENERS"] =
            $"PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:{KafkaPort},PLAINTEXT_INTERNAL://0.0.0.0:{KafkaInternalPort}";
        context.EnvironmentVariables["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] =
            "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT";
        // Each listener advertises the address its clients were given: the published one resolves on the host
        // (localhost and the mapped port in a run), the internal one on the container network.
        context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = ReferenceExpression.Create(
            $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://{kafka.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},PLAINTEXT_INTERNAL://{kafka.InternalEndpoint.Property(EndpointProperty.HostAndPort)}");
    }

    private static ILogger Logger(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("FoodOrdering.AppHost.Containers.Kafka");
}
