using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Emails;

/// <summary>
/// Readiness as the sends see the SMTP server: not ready from a send that failed on the server (the session, the
/// sender, the credentials, the connection) until it next accepts an email or answers about one; a refused recipient
/// or message means the server works. The description counts both: emails refused for good since the start, and
/// server errors since the server last answered ("1 message refused, 0 server errors"). Ready before the first send:
/// there is nothing to tell yet.
/// </summary>
internal sealed class SmtpServerHealth : IHealthCheck
{
    private volatile string? _serverError;
    private long _messagesRefused;
    private long _serverErrors;

    /// <summary>The server took an email or answered about one.</summary>
    public void Answered()
    {
        _serverError = null;
        Interlocked.Exchange(ref _serverErrors, 0);
    }

    /// <summary>An email is refused for good (recorded on <c>emails.failed</c>); the server answered about it.</summary>
    public void MessageRefused()
    {
        Interlocked.Increment(ref _messagesRefused);
        Answered();
    }

    /// <param name="reason">Shown in the health report; masked by the caller.</param>
    public void ServerFailed(string reason)
    {
        Interlocked.Increment(ref _serverErrors);
        _serverError = reason;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var counts = $"{Count(Interlocked.Read(ref _messagesRefused), "message", "messages")} refused, {Count(Interlocked.Read(ref _serverErrors), "server error", "server errors")}";
        return Task.FromResult(_serverError is { } reason
            ? new HealthCheckResult(context.Registration.FailureStatus, $"The SMTP server takes no email: {reason} ({counts})")
            : HealthCheckResult.Healthy($"The SMTP server takes emails ({counts})"));
    }

    private static string Count(long count, string one, string many) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";
}
