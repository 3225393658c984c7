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
    /// <c>--Infrastructure</c> when given; otherwise Containers when a container engine answers, else Embedded.
    /// </summary>
    public static InfrastructureMode GetInfrastructureMode(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            var engine = ContainerRuntimeProbe.FindRunningEngine(builder.Configuration[ContainerRuntimeKey]);
            Console.WriteLine(engine is null
                ? "Infrastructure: Embedded (no container engine answered; --Infrastructure Containers|External to choose)"
                : $"Infrastructure: Containers ({engine} answered; --Infrastructure Embedded|External to choose)");
            return engine is null ? InfrastructureMode.Embedded : InfrastructureMode.Containers;
        }

        return Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException(
                $"--{ConfigurationKey} '{configured}' is not one of {string.Join(", ", Enum.GetNames<InfrastructureMode>())}.");
    }

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
    /// string from configuration in External mode; none (null) in Embedded mode, or in External mode without that
    /// connection string (analytics are optional: a missing value must not hold Transactions back), which say so instead.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString>? AddElasticsearch(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) => mode switch
        {
            InfrastructureMode.Embedded => builder.AddElasticsearchNotice(name, ElasticsearchNotice.EmbeddedMode),
            InfrastructureMode.Containers => builder.AddElasticsearchContainer(name).WithKibana(),
            _ when string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)) =>
                builder.AddElasticsearchNotice(name, ElasticsearchNotice.ExternalModeWithoutConnectionString),
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
