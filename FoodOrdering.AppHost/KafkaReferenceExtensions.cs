using Confluent.Kafka;
using FoodOrdering.Embedded;

namespace FoodOrdering.AppHost;

internal static class KafkaReferenceExtensions
{
    private static readonly string[] ClientSections = ["Aspire__Confluent__Kafka__Producer__Config", "Aspire__Confluent__Kafka__Consumer__Config"];

    /// <summary>
    /// References Kafka and waits for it; for a managed cluster (External mode) also hands the service its
    /// security settings as <c>Config</c> properties of every producer and consumer, and for the embedded broker the
    /// client settings it needs (<see cref="EmbeddedKafkaClientSettings"/>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKafka(this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString> kafka)
    {
        service.WithReference(kafka).WaitFor(kafka);
        if (kafka.Resource is EmbeddedKafkaResource)
        {
            foreach (var (key, value) in EmbeddedKafkaClientSettings.Configuration)
            {
                service.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        if (kafka.Resource.Annotations.OfType<KafkaClientSecurityAnnotation>().SingleOrDefault() is not { } client)
        {
            return service;
        }

        foreach (var section in ClientSections)
        {
            if (client.Security.SecurityProtocol is { } protocol)
            {
                service.WithEnvironment($"{section}__{nameof(ExternalKafkaSecurity.SecurityProtocol)}", ExternalKafkaSecurity.EnumName<SecurityProtocol>(protocol));
            }

            if (client.Security.SaslMechanism is { } mechanism)
            {
                service.WithEnvironment($"{section}__{nameof(ExternalKafkaSecurity.SaslMechanism)}", ExternalKafkaSecurity.EnumName<SaslMechanism>(mechanism));
            }

            if (client.Security.SaslUsername is { } username && client.Password is { } password)
            {
                service.WithEnvironment($"{section}__{nameof(ExternalKafkaSecurity.SaslUsername)}", username)
                    .WithEnvironment($"{section}__SaslPassword", password);
            }
        }

        return service;
    }
}
