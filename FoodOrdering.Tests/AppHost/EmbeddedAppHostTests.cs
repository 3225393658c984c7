using System.Diagnostics;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static FoodOrdering.Tests.Support.OrderRequests;

namespace FoodOrdering.Tests.AppHost;

/// <summary>
/// The whole AppHost in embedded mode with the generator off, started once for these tests (see <see cref="Run"/>):
/// each touches a part of it no other one reads, so none depends on which ran before. What the run logged up to its
/// first emails is taken before any test runs.
/// </summary>
[Collection(WholeAppHostCollection.Name)]
public sealed class EmbeddedAppHostTests(EmbeddedAppHostTests.Run run) : IClassFixture<EmbeddedAppHostTests.Run>
{
    [Fact]
    public void ACleanRunLogsNoWarningFromItsStartUntilItsFirstOrdersAreEmailed() =>
        Assert.True(run.WarningsUntilFirstEmails.Count == 0, string.Join(Environment.NewLine, run.WarningsUntilFirstEmails));

    [Fact]
    public async Task ThroughTheAppHostsEndpointOneClientAtItsLimitLeavesAnotherClientsOrderAlone()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.PipelineStep);
        var endpoint = run.App.GetEndpoint(ResourceNames.Producer, "http");
        using var oneClient = LoopbackClient.From("127.0.0.2", endpoint);
        using var otherClient = LoopbackClient.From("127.0.0.3", endpoint);

        using var first = await oneClient.SendAsync(OrderRequest(ValidOrder, "k-one-1"), timeout.Token);
        using var overItsShare = await oneClient.SendAsync(OrderRequest(ValidOrder, "k-one-2"), timeout.Token);
        using var othersOrder = await otherClient.SendAsync(OrderRequest(ValidOrder, "k-other-1"), timeout.Token);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, overItsShare.StatusCode);
        Assert.Equal(HttpStatusCode.Created, othersOrder.StatusCode);
    }

    [Fact]
    public async Task AServiceKilledUnderTheAppHostIsStartedAgainAndTurnsHealthy()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.AppHostRun);
        var healthy = await run.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Emails, timeout.Token);
        var killed = Pid(healthy.Snapshot);

        // The pid is the launcher's (dotnet run), whose child is the service: both go, as in a crash.
        Process.GetProcessById(killed).Kill(entireProcessTree: true);

        var restarted = await run.App.ResourceNotifications.WaitForResourceAsync(ResourceNames.Emails,
            update => update.Snapshot.State?.Text == KnownResourceStates.Running && Pid(update.Snapshot) is var pid && pid != 0 && pid != killed,
            timeout.Token);
        await run.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Emails, timeout.Token);
        Assert.NotEqual(killed, Pid(restarted.Snapshot));
    }

    private static int Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, out var pid) => pid,
            _ => 0,
        };

    /// <summary>
    /// One run of the AppHost for the tests above, its Emails and Producer healthy and its first orders emailed,
    /// each from a client of its own. A client's share is one idempotency key, a limit that does not refill while a
    /// test runs.
    /// </summary>
    public sealed class Run : IAsyncLifetime
    {
        private static readonly string[] FirstOrdersClients = ["127.0.0.4", "127.0.0.5", "127.0.0.6"];
        private readonly string _mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-tests", Guid.NewGuid().ToString("N"));

        internal DistributedApplication App { get; private set; } = null!;

        /// <summary>What the AppHost and its resources logged at Warning or worse until the first orders were emailed.</summary>
        internal IReadOnlyList<string> WarningsUntilFirstEmails { get; private set; } = [];

        public async Task InitializeAsync()
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.AppHostRun);
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
                ["--Infrastructure", "Embedded", "--Embedded:MailDirectory", _mailDirectory,
                 "--OrderGenerator:Enabled", "false", "--OrderApi:RememberedKeysPerClient", "1"], timeout.Token);
            builder.Services.AddLogging(logging => logging.AddFakeLogging());
            App = await builder.BuildAsync(timeout.Token);
            await App.StartAsync(timeout.Token);
            await App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Emails, timeout.Token);
            await App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Producer, timeout.Token);
            await PlaceFirstOrdersAsync(timeout.Token);
            WarningsUntilFirstEmails = await WarningsLogged.ByAsync(App, timeout.Token);
        }

        private async Task PlaceFirstOrdersAsync(CancellationToken cancellationToken)
        {
            var endpoint = App.GetEndpoint(ResourceNames.Producer, "http");
            foreach (var address in FirstOrdersClients)
            {
                using var client = LoopbackClient.From(address, endpoint);
                using var placed = await client.SendAsync(OrderRequest(ValidOrder, $"k-first-{address}"), cancellationToken);
                Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
            }

            await Eventually.WaitUntilAsync(
                () => Directory.Exists(_mailDirectory) && Directory.EnumerateFiles(_mailDirectory, "*.eml").Count() >= FirstOrdersClients.Length,
                TestTimeouts.PipelineStep,
                () => $"fewer than {FirstOrdersClients.Length} .eml files appeared in {_mailDirectory}");
        }

        public async Task DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.AppHostRun);
            await App.StopAsync(timeout.Token);
            await App.DisposeAsync();
            if (Directory.Exists(_mailDirectory))
            {
                Directory.Delete(_mailDirectory, recursive: true);
            }
        }
    }
}
