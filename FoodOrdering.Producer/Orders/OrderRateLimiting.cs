using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using FoodOrdering.Problems;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// A token bucket per client address on <c>POST /orders</c> (ASP.NET Core's rate limiter), so one client cannot
/// flood the log; the generator publishes directly and is not limited. Every rate-limited answer, here and on the
/// operator endpoints, is a 429 problem with <c>Retry-After</c>.
/// </summary>
internal static class OrderRateLimiting
{
    public const string PolicyName = "orders";

    public static void AddOrderRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AnswerWithProblem();
            limiter.AddPolicy(PolicyName, context =>
            {
                var perSecond = context.RequestServices.GetRequiredService<IOptions<OrderApiOptions>>().Value.OrdersPerSecondPerClient;
                if (perSecond == 0)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
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
