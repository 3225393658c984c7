using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Drops the W3C <c>baggage</c> a caller sends, before anything else sees the request. Baggage travels on with
/// the work a request causes — into the headers of every Kafka message and on to every consumer — so a caller's
/// baggage would be copied through the whole pipeline. The trace context (<c>traceparent</c>) is kept: the
/// caller's trace goes on.
/// </summary>
internal sealed class IncomingBaggageFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            // OpenTelemetry's ASP.NET Core instrumentation puts it here; Kafka messages carry this one on.
            Baggage.Current = default;
            // ASP.NET Core's hosting puts it on the request's activity, which outgoing HTTP calls carry on.
            if (Activity.Current is { } activity)
            {
                foreach (var (key, _) in activity.Baggage.ToList())
                {
                    activity.SetBaggage(key, null);
                }
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
