using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Clients;

/// <summary>
/// Says once, loudly, when an <c>X-Forwarded-For</c> arrives that was not believed: behind a load balancer nobody
/// named in <see cref="ClientAddressOptions"/>, every client is the load balancer, and one client's limit is everybody's.
/// </summary>
internal sealed partial class UnknownProxyWarning(RequestDelegate next, ILogger<UnknownProxyWarning> logger)
{
    private int _warned;

    public Task InvokeAsync(HttpContext context)
    {
        // What the forwarded-headers middleware believed it has taken out of the header; what is left, it did not.
        if (Volatile.Read(ref _warned) == 0
            && context.Request.Headers.ContainsKey(ForwardedHeadersDefaults.XForwardedForHeaderName)
            && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            // The peer is the proxy when there is one: the address an operator names to fix this.
            LogUnknownProxy(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        }

        return next(context);
    }

    [LoggerMessage(EventId = 7100, Level = LogLevel.Warning,
        Message = "A request from {Peer} carried X-Forwarded-For that was not believed: {Peer} is no known proxy, or more proxies forwarded it than ForwardedHeaders:ForwardLimit allows. If it is a load balancer, name it in ForwardedHeaders:KnownProxies or KnownNetworks; until then every client behind it shares one client's limits. Said once")]
    private static partial void LogUnknownProxy(ILogger logger, string peer);
}
