using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.AppHost;

/// <summary>A service whose process is killed under the AppHost, which Aspire alone would leave stopped.</summary>
[Collection(WholeAppHostCollection.Name)]
public sealed class ServiceRestartTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.AppHostRun;

    [Fact]
    public async Task AServiceKilledUnderTheAppHostIsStartedAgainAndTurnsHealthy()
    {
        var mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-tests", Guid.NewGuid().ToString("N"));
        using var timeout = new CancellationTokenSource(Timeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--Embedded:MailDirectory", mailDirectory, "--OrderGenerator:Enabled", "false"], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        var healthy = await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Emails, timeout.Token);
        var killed = Pid(healthy.Snapshot);

        // The pid is the launcher's (dotnet run), whose child is the service: both go, as in a crash.
        Process.GetProcessById(killed).Kill(entireProcessTree: true);

        var restarted = await app.ResourceNotifications.WaitForResourceAsync(ResourceNames.Emails,
            update => update.Snapshot.State?.Text == KnownResourceStates.Running && Pid(update.Snapshot) is var pid && pid != 0 && pid != killed,
            timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Emails, timeout.Token);
        Assert.NotEqual(killed, Pid(restarted.Snapshot));
        if (Directory.Exists(mailDirectory))
        {
            Directory.Delete(mailDirectory, recursive: true);
        }
    }

    private static int Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, out var pid) => pid,
            _ => 0,
        };
}
