using Microsoft.AspNetCore.Builder;

namespace FoodOrdering.Operators;

public static class OperatorPipeline
{
    /// <summary>
    /// The request pipeline of a service with static pages and operator endpoints: problem details for every error,
    /// the pages in wwwroot (no build step), then the rate limiter before authentication, so that guesses at the
    /// operator key count against the limit too.
    /// </summary>
    public static WebApplication UsePagesAndOperatorAccess(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
