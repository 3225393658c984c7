using FoodOrdering.AppHost.Containers;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Configuration;

namespace FoodOrdering.AppHost;

/// <summary>The switch point between embedded, container and external infrastructure.</summary>
internal static class InfrastructureExtensions
{
    private const string ConfigurationKey = "Infrastructure";
    private const string ContainerRuntimeKey = "ASPIRE_CONTAINER_RUNTIME";

    /// <summary>
    /// <c>--Infrastructure</c> when given; otherwise Containers when a container engine answers, else Embedded. A
    /// publish describes a deployment, which runs wherever it is deployed, not where it was published: Containers
    /// unless External is asked for, never Embedded, whose stand-ins live inside the AppHost process.
    /// </summary>
    public static InfrastructureMode GetInfrastructureMode(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ConfigurationKey];
        if (builder.ExecutionContext.IsPublishMode)
        {
            var mode = string.IsNullOrWhiteSpace(configured) ? InfrastructureMode.Containers : Parse(configured);
            Console.WriteLine($"Infrastructure: {mode} (publishing; --Infrastructure External to publish connection-string parameters instead)");
            return mode != InfrastructureMode.Embedded
                ? mode
                : throw new InvalidOperationException(
                    "Embedded mode cannot be published: its Kafka and SMTP stand-ins run inside the AppHost. Publish with --Infrastructure Containers (the default) or External.");
        }

        if (string.IsNullOrWhiteSpace(configured))
        {
            var engine = ContainerRuntimeProbe.FindRunningEngine(builder.Configuration[ContainerRuntimeKey]);
            Console.WriteLine(engine is null
                ? "Infrastructure: Embedded (no container engine answered; --Infrastructure Containers|External to choose)"
                : $"Infrastructure: Containers ({engine} answered; --Infrastructure Embedded|External to choose)");
            return engine is null ? InfrastructureMode.Embedded : InfrastructureMode.Containers;
        }

        return Parse(configured);
    }

    private static InfrastructureMode Parse(string configured) =>
        Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException(
                $"--{ConfigurationKey} '{configured}' is not one of {string.Join(", ", Enum.GetNames<InfrastructureMode>())}.");

    public static IResourceBuilder<IResourceWithConnectionString> AddKafka(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) => mode switch
        {
            InfrastructureMode.Embedded => builder.AddEmbeddedKafka(name, Topics.All).WithTopicsCommand(),
            InfrastructureMode.Containers => builder.AddKafkaContainer(name).WithKafkaUI().WithTopicsCommand(),
            _ => builder.AddExternalKafka(name),
        };

    public static IResourceBuilder<IResourceWithConnectionString> AddSmtp(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) => mode switch
        {
            InfrastructureMode.Embedded => builder.AddEmbeddedSmtp(name),
            InfrastructureMode.Containers => builder.AddMailpit(name),
            _ => builder.AddConnectionString(name),
        };

    /// <summary>
    /// Elasticsearch with Kibana and the provisioned dashboard in containers; the <c>elasticsearch</c> connection
    /// string from configuration (a parameter, when published) in External mode; none (null) in Embedded mode, or in a
    /// run of External mode without that connection string (analytics are optional: a missing value must not hold
    /// Transactions back), which say so instead.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString>? AddElasticsearch(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) => mode switch
        {
            InfrastructureMode.Embedded => builder.AddElasticsearchNotice(name, ElasticsearchNotice.EmbeddedModeState, ElasticsearchNotice.EmbeddedMode),
            InfrastructureMode.Containers => builder.AddElasticsearchContainer(name).WithKibana(),
            // Published, the connection string is a parameter the deployment fills in, so it is always there.
            _ when !builder.ExecutionContext.IsPublishMode && string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)) =>
                builder.AddElasticsearchNotice(name, ElasticsearchNotice.ExternalModeWithoutConnectionStringState, ElasticsearchNotice.ExternalModeWithoutConnectionString),
            _ => builder.AddConnectionString(name),
        };

    private static IResourceBuilder<IResourceWithConnectionString> AddExternalKafka(this IDistributedApplicationBuilder builder, string name)
    {
        var kafka = builder.AddConnectionString(name);
        if (ExternalKafkaSecurity.From(builder.Configuration) is { } security)
        {
            var password = security.SaslUsername is null ? null : builder.AddParameter(ExternalKafkaSecurity.PasswordParameter, secret: true);
            kafka.WithAnnotation(new KafkaClientSecurityAnnotation(security, password));
        }

        return kafka;
    }
}
