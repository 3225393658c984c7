using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operators;

/// <summary>Authenticates a request as the operator when it carries the configured operator key.</summary>
internal sealed class OperatorKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<OperatorOptions> operatorOptions,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(OperatorAccess.ApiKeyHeader, out var given))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (operatorOptions.Value.ApiKey is not { Length: > 0 } expected || !SameKey(given.ToString(), expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("Not the operator key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = OperatorAccess.Scheme;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "This is an operator endpoint.",
                Detail = $"Send the operator key in the {OperatorAccess.ApiKeyHeader} header.",
            },
        });
    }

    // Hashing first makes the comparison take the same time whatever the lengths and wherever they differ.
    private static bool SameKey(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
