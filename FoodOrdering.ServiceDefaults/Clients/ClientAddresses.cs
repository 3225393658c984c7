using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Clients;

/// <summary>
/// Who a request comes from, for every per-client bound (order rate, operator requests, idempotency keys, tracked
/// orders): the connection's address, or the one a known proxy (<see cref="ClientAddressOptions"/>) forwarded.
/// </summary>
public static class ClientAddresses
{
    private const int Ipv6SitePrefixBytes = 8;

    public static void AddClientAddresses(this IServiceCollection services)
    {
        services.AddOptions<ClientAddressOptions>()
            .BindConfiguration(ClientAddressOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Also overrides ASPNETCORE_FORWARDEDHEADERS_ENABLED, which would believe the headers from any peer.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ClientAddressOptions>>((forwarded, clients) =>
        {
            // With no known proxy and no known network the middleware believes every peer, so then it reads nothing.
            var anyProxy = clients.Value.KnownProxies.Count > 0 || clients.Value.KnownNetworks.Count > 0;
            forwarded.ForwardedHeaders = anyProxy ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            forwarded.ForwardLimit = clients.Value.ForwardLimit;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            clients.Value.KnownProxies.ForEach(proxy => forwarded.KnownProxies.Add(IPAddress.Parse(proxy)));
            clients.Value.KnownNetworks.ForEach(network => forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network)));
        });
    }

    /// <summary>Before anything that tells clients apart.</summary>
    public static void UseClientAddresses(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<UnknownProxyWarning>();
    }

    /// <summary>
    /// The client a bound is kept for: an IPv4 address, or an IPv6 /64, since one IPv6 host is handed a whole /64
    /// and could otherwise be a new client with every request.
    /// </summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        { AddressFamily: AddressFamily.InterNetworkV6 } address => $"{SitePrefix(address)}/64",
        var address => address.ToString(),
    };

    private static IPAddress SitePrefix(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[Ipv6SitePrefixBytes..].Clear();
        return new IPAddress(bytes);
    }
}
