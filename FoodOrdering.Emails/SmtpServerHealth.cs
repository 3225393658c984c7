using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Emails;

/// <summary>
/// Readiness as the sends see the SMTP server: not ready from a send it refused as a whole (or that could not reach
/// it) until it next accepts an email or answers about one (a refused recipient means the server works). Ready
/// before the first send: there is nothing to tell yet.
/// </summary>
internal sealed class SmtpServerHealth : IHealthCheck
{
    private volatile string? _refusal;

    public void Answered() => _refusal = null;

    /// <param name="reason">Shown in the health report; masked by the caller.</param>
    public void Refused(string reason) => _refusal = reason;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_refusal is { } reason
            ? new HealthCheckResult(context.Registration.FailureStatus, $"The SMTP server takes no email: {reason}")
            : HealthCheckResult.Healthy("The SMTP server takes emails"));
}
