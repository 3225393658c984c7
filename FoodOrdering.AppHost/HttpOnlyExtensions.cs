namespace FoodOrdering.AppHost;

internal static class HttpOnlyExtensions
{
    /// <summary>
    /// Every endpoint of the services (and Redis) is plain, so they need no certificate. Without this, Aspire offers
    /// each of them the ASP.NET Core development certificate, and on a machine with no trusted one the dashboard greets every
    /// page with a "No trusted development certificate" error.
    /// </summary>
    public static IResourceBuilder<TResource> WithoutDevelopmentCertificate<TResource>(this IResourceBuilder<TResource> service)
        where TResource : IResourceWithEnvironment, IResourceWithArgs
    {
#pragma warning disable ASPIRECERTIFICATES001 // The certificate API is marked for evaluation; removing it is what this needs.
        return service.WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
    }
}
