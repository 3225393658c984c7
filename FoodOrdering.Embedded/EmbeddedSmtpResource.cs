using Aspire.Hosting.ApplicationModel;

namespace FoodOrdering.Embedded;

/// <summary>The embedded SMTP sink as an Aspire resource; its connection string is <c>Endpoint=smtp://…</c>.</summary>
internal sealed class EmbeddedSmtpResource(string name) : Resource(name), IResourceWithConnectionString
{
    internal StartedValue ConnectionString { get; } = new($"{{{name}.connectionString}}");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}
