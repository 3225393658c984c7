using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Emails;

/// <summary>
/// Readiness as the sends see the SMTP server. Not ready from a send that failed on the server (the session, the
/// sender, the credentials, the connection), or once two different emails were refused with no email accepted since
/// (a server that refuses every recipient, say for relaying), until it next accepts one. One email refused, however
/// often, says nothing against the server. The description counts emails refused for good since the start and server
/// errors since the server last took an email: "The SMTP server takes emails (1 message refused, 0 server errors)".
/// Ready before the first send: there is nothing to tell yet.
/// </summary>
internal sealed class SmtpServerHealth : IHealthCheck
{
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _refusedSinceAccepted = [];
    private string? _problem;
    private long _messagesRefused;
    private long _serverErrors;

    /// <summary>The server took an email.</summary>
    public void Accepted()
    {
        lock (_lock)
        {
            _problem = null;
            _serverErrors = 0;
            _refusedSinceAccepted.Clear();
        }
    }

    /// <summary>An email is refused for good (recorded on <c>emails.failed</c>): the server answered about it.</summary>
    public void MessageRefused()
    {
        lock (_lock)
        {
            _messagesRefused++;
            _problem = null;
            _serverErrors = 0;
        }
    }

    /// <summary>The server refused this one email, in a way not known to be for good; it is tried again.</summary>
    /// <param name="reason">Shown in the health report; masked by the caller.</param>
    public void EmailRefused(Guid orderId, string reason)
    {
        lock (_lock)
        {
            if (_refusedSinceAccepted.Count < 2 && _refusedSinceAccepted.Add(orderId) && _refusedSinceAccepted.Count == 2)
            {
                _problem = $"it refuses every email: {reason}";
            }
        }
    }

    /// <param name="reason">Shown in the health report; masked by the caller.</param>
    public void ServerFailed(string reason)
    {
        lock (_lock)
        {
            _serverErrors++;
            _problem = reason;
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var counts = $"{Count(_messagesRefused, "message", "messages")} refused, {Count(_serverErrors, "server error", "server errors")}";
            return Task.FromResult(_problem is { } problem
                ? new HealthCheckResult(context.Registration.FailureStatus, $"The SMTP server takes no email: {problem} ({counts})")
                : HealthCheckResult.Healthy($"The SMTP server takes emails ({counts})"));
        }
    }

    private static string Count(long count, string one, string many) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";
}
