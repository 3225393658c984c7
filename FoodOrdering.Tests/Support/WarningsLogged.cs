using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// Every line at Warning or worse that a whole AppHost run logged: the AppHost's own log (collected by
/// <c>AddFakeLogging</c> on its builder) and each resource's console: a line on its standard error (the dashboard
/// shows it red), or one its console logger wrote at that level (<c>warn:</c>, <c>fail:</c>, <c>crit:</c>).
/// </summary>
/// <remarks>
/// The AppHost's log echoes each resource's console under <c>{AppHost}.Resources.{resource}</c>, read here from the
/// resource itself, and holds Aspire's probes of each service's <c>/health</c>, which fail until the service listens:
/// that is how Aspire waits, and the Resources page shows it as the service's health, not as a log line.
/// </remarks>
internal static partial class WarningsLogged
{
    private const string HealthChecksCategory = "Microsoft.Extensions.Diagnostics.HealthChecks";

    public static async Task<IReadOnlyList<string>> ByAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var warnings = app.Services.GetFakeLogCollector().GetSnapshot()
            .Where(record => record.Level >= LogLevel.Warning
                && !record.Category!.Contains(".Resources.", StringComparison.Ordinal)
                && !record.Category.StartsWith(HealthChecksCategory, StringComparison.Ordinal))
            .Select(record => $"apphost {record.Level} {record.Category}[{record.Id.Id}]: {record.Message}")
            .ToList();

        var resourceLogs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources)
        {
            var lines = new List<string>();
            await foreach (var batch in resourceLogs.GetAllAsync(resource).WithCancellation(cancellationToken))
            {
                lines.AddRange(batch.Select(line => (line.IsErrorMessage ? "stderr: " : "") + Colours().Replace(line.Content, "")));
            }

            // The console logger writes the level and category on one line and the message on the next.
            warnings.AddRange(lines.Index()
                .Where(line => line.Item.StartsWith("stderr: ", StringComparison.Ordinal) || ConsoleWarning().IsMatch(line.Item))
                .Select(line => $"{resource.Name}: {line.Item}{(line.Index + 1 < lines.Count ? " " + lines[line.Index + 1] : "")}"));
        }

        return warnings;
    }

    [GeneratedRegex(@"^(\S+Z )?(warn|fail|crit): ")]
    private static partial Regex ConsoleWarning();

    // The console logger colours its level names when its output is not redirected to a file.
    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Colours();
}
