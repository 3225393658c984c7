namespace FoodOrdering.AppHost;

internal static class HttpOnlyExtensions
{
    /// <summary>
    /// Every endpoint of the services is http, so they need no certificate. Without this, Aspire offers each project
    /// the ASP.NET Core development certificate, and on a machine with no trusted one the dashboard greets every
    /// page with a "No trusted development certificate" error.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithoutDevelopmentCertificate(this IResourceBuilder<ProjectResource> service)
    {
#pragma warning disable ASPIRECERTIFICATES001 // The certificate API is marked for evaluation; removing it is what this needs.
        return service.WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
    }
}
