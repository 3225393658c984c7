namespace FoodOrdering.AppHost.Containers;

/// <summary>Mailpit in a container: it catches every email and shows it in a web UI.</summary>
internal sealed class MailpitResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string SmtpEndpointName = "smtp";
    public const string HttpEndpointName = "http";

    public EndpointReference SmtpEndpoint => field ??= new(this, SmtpEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Endpoint=smtp://{SmtpEndpoint.Property(EndpointProperty.HostAndPort)}");
}
