using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FoodOrdering.AppHost;

/// <summary>
/// Starts a service again when its process ends with a non-zero exit code (killed, crashed), since Aspire does
/// not: a stopped consumer leaves its partitions unread, and the embedded broker drops what nobody read beyond
/// 5 MiB per partition. A stop from the dashboard ends the process with 0 and is left alone, and so are the one-shot
/// steps. Each restart is logged as a warning in the AppHost's console and the service's log; past
/// <see cref="ServiceRestartOptions.MaxRestarts"/> within <see cref="ServiceRestartOptions.Window"/> the service is
/// left stopped, with an error saying so.
/// </summary>
internal sealed partial class CrashedServiceRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    IOptions<ServiceRestartOptions> options,
    TimeProvider time,
    ILogger<CrashedServiceRestarter> logger) : BackgroundService
{
    private readonly CrashRestartBudget _budget = new(options.Value.MaxRestarts, options.Value.Window, time);

    // Instances that crashed and are being started again, so the repeated notifications of one exit restart it once.
    private readonly HashSet<string> _restarting = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (update.Resource is not ProjectResource project || project.Annotations.OfType<OneShotStepAnnotation>().Any())
                {
                    continue;
                }

                if (update.Snapshot.State?.Text == KnownResourceStates.Running)
                {
                    _restarting.Remove(update.ResourceId);
                }
                else if (update.Snapshot.State?.Text is { } state && IsEnded(state) && update.Snapshot.ExitCode is { } exitCode and not 0
                    && _restarting.Add(update.ResourceId))
                {
                    await RestartAsync(project, update.ResourceId, exitCode, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static bool IsEnded(string state) => state == KnownResourceStates.Exited || state == KnownResourceStates.Finished;

    private async Task RestartAsync(ProjectResource project, string instance, int exitCode, CancellationToken cancellationToken)
    {
        var resourceLog = resourceLogs.GetLogger(instance);
        if (!_budget.TryTake(instance, out var used))
        {
            LogGivenUp(logger, instance, exitCode, used, options.Value.Window.TotalMinutes);
            LogGivenUp(resourceLog, instance, exitCode, used, options.Value.Window.TotalMinutes);
            return;
        }

        LogRestarting(logger, instance, exitCode, used, options.Value.MaxRestarts, options.Value.Window.TotalMinutes);
        LogRestarting(resourceLog, instance, exitCode, used, options.Value.MaxRestarts, options.Value.Window.TotalMinutes);
        var result = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand, cancellationToken);
        if (!result.Success)
        {
            _restarting.Remove(instance);
            LogRestartFailed(logger, instance, result.Message);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "{Resource} exited with code {ExitCode}; starting it again (restart {Used} of {Max} within {WindowMinutes} min). Aspire restarts nothing by itself")]
    private static partial void LogRestarting(ILogger logger, string resource, int exitCode, int used, int max, double windowMinutes);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "{Resource} exited with code {ExitCode} after {Used} restarts within {WindowMinutes} min and is left stopped: its partitions go unread, and the embedded broker drops unread records beyond 5 MiB per partition. Read its log, then start it from the dashboard")]
    private static partial void LogGivenUp(ILogger logger, string resource, int exitCode, int used, double windowMinutes);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Starting {Resource} again failed: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string resource, string? reason);
}
