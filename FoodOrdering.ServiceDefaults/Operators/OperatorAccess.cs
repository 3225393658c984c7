using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operators;

/// <summary>
/// Who may use the operator endpoints (everything that changes state other than placing an order): whoever
/// sends the operator key, or anyone in Development when no key is set; outside Development without a key,
/// nobody. Each client address gets <see cref="OperatorOptions.RequestsPerMinute"/> operator requests, wrong keys
/// included, so a key cannot be guessed at speed.
/// </summary>
public static class OperatorAccess
{
    public const string Scheme = "OperatorKey";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string PolicyName = "operator";
    public const string RateLimitPolicyName = "operator";

    public static void AddOperatorAccess(this IServiceCollection services)
    {
        services.AddOptions<OperatorOptions>()
            .BindConfiguration(OperatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Not AddAuthentication(): it adds Data Protection too, which loads a key ring at start (and the first time
        // writes one to the user's profile) for cookies and tokens this service never issues.
        services.AddAuthenticationCore();
        services.AddWebEncoders();
        new AuthenticationBuilder(services).AddScheme<AuthenticationSchemeOptions, OperatorKeyAuthenticationHandler>(Scheme, null);
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<OperatorOptions>, IHostEnvironment>((authorization, operators, environment) =>
            authorization.AddPolicy(PolicyName, policy =>
            {
                policy.AddAuthenticationSchemes(Scheme);
                if (environment.IsDevelopment() && string.IsNullOrEmpty(operators.Value.ApiKey))
                {
                    policy.RequireAssertion(_ => true);
                }
                else
                {
                    policy.RequireAuthenticatedUser();
                }
            }));
        services.Configure<RateLimiterOptions>(limiter => limiter.AddPolicy(RateLimitPolicyName, context =>
        {
            var perMinute = context.RequestServices.GetRequiredService<IOptions<OperatorOptions>>().Value.RequestsPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        }));
    }

    /// <summary>Requires the operator and applies the operator rate limit.</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(PolicyName).RequireRateLimiting(RateLimitPolicyName);
}
