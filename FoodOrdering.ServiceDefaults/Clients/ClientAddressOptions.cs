using System.ComponentModel.DataAnnotations;
using System.Net;

namespace FoodOrdering.Clients;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. None by default: every
/// client is then the address its connection comes from, and a header any client can write changes nothing.
/// </summary>
public sealed class ClientAddressOptions : IValidatableObject
{
    public const string SectionName = SettingsSections.ForwardedHeaders;

    /// <summary>Addresses of the proxies in front of this service (a load balancer's, an ingress's).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR notation (<c>10.0.0.0/8</c>), for proxies without a fixed address.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// How many known proxies, from the nearest, may each have added an address to <c>X-Forwarded-For</c>; the
    /// address the farthest of them saw is the client.
    /// </summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(proxy => !IPAddress.TryParse(proxy, out _)))
        {
            yield return new ValidationResult($"'{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(network => !IPNetwork.TryParse(network, out _)))
        {
            yield return new ValidationResult($"'{network}' is not a network in CIDR notation (such as 10.0.0.0/8).", [nameof(KnownNetworks)]);
        }
    }
}
