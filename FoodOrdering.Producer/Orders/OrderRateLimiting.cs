using System.Globalization;
using System.Threading.RateLimiting;
using FoodOrdering.Producer.Clients;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// A token bucket per client (<see cref="ClientAddresses"/>) on <c>POST /orders</c> (ASP.NET Core's rate limiter), so one client cannot
/// flood the log; the generator publishes directly and is not limited. Every rate-limited answer, here and on the
/// operator endpoints, is a 429 problem with <c>Retry-After</c>.
/// </summary>
internal static class OrderRateLimiting
{
    public const string PolicyName = "orders";

    public static void AddOrderRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, _) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests from this client.",
                        Detail = $"Nothing was done. Retry after {seconds} s.",
                    },
                });
            };
            limiter.AddPolicy(PolicyName, context =>
            {
                var perSecond = context.RequestServices.GetRequiredService<IOptions<OrderApiOptions>>().Value.OrdersPerSecondPerClient;
                if (perSecond == 0)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                return RateLimitPartition.GetTokenBucketLimiter(ClientAddresses.Of(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
}
