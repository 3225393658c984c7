using Aspire.Hosting.ApplicationModel;

namespace FoodOrdering.Embedded;

/// <summary>The embedded Kafka broker as an Aspire resource; its connection string is the bootstrap servers.</summary>
internal sealed class EmbeddedKafkaResource(string name) : Resource(name), IResourceWithConnectionString
{
    internal StartedValue BootstrapServers { get; } = new($"{{{name}.bootstrapServers}}");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{BootstrapServers}");
}
