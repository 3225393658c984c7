using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Operations.Audit;
using FoodOrdering.Operations.DeadLetters;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration.Operations;

/// <summary>The console killed without warning in the middle of a re-drive.</summary>
public sealed class ConsoleCrashTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Recovery;

    [UnixFact]
    public async Task TheConsoleKilledMidRedriveOf500RecordsLosesNoneAndDoublesNone()
    {
        const int count = 500;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var orders = ConsoleDeadLettersTests.Orders(count);
        await ConsoleDeadLettersTests.WriteDeadLettersAsync(pipeline.Kafka, orders, _ => "Menu lookup failed");
        var port = FreePort();
        using var first = ServiceProcess.Start(ServiceProcess.Operations, pipeline.Kafka.BootstrapServers, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Operations__FindTimesByReading"] = "true",
            ["Operations__ListConsumerGroups"] = "false",
        });
        await first.Started;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        DeadLetterGroupView? group = null;
        await Eventually.WaitUntilAsync(() => (group = client.GetFromJsonAsync<List<DeadLetterGroupView>>("/api/dead-letters").Result!.SingleOrDefault(g => g.Count == count)) is not null,
            Timeout, () => "the first console never saw the dead letters");
        using var redriven = new TopicCounter(pipeline.Kafka.BootstrapServers, Topics.OrdersReceived);
        // Each produce request waits on the broker, so the re-drive takes long enough to be killed in the middle.
        pipeline.Kafka.SetBrokerRoundTripTime(1, TimeSpan.FromMilliseconds(100));

        var pressed = client.PostAsJsonAsync("/api/dead-letters/redrive", new DeadLetterSelection(group!.Id, null));
        await Eventually.WaitUntilAsync(() => redriven.Count >= 50, Timeout, () => $"{redriven.Count} re-driven before the kill");
        first.Kill();
        var atKill = redriven.Count;
        await Assert.ThrowsAnyAsync<Exception>(() => pressed);
        pipeline.Kafka.SetBrokerRoundTripTime(1, TimeSpan.Zero);
        await using var second = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        await ConsoleDeadLettersTests.WaitForGroupAsync(second, count);
        var again = await ConsoleDeadLettersTests.PostAsync(second, "/api/dead-letters/redrive", new DeadLetterSelection(group.Id, null));
        await pipeline.StartTransactionsAsync();
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count >= count, Timeout, () => "not every re-driven order confirmed");

        Assert.InRange(atKill, 50, count - 1);
        var onSource = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersReceived);
        Assert.Equal(count, onSource.Count);
        Assert.Equal(count, onSource.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("redrive.of"))).Distinct().Count());
        Assert.Equal(count, again.Records.Count(r => r.Outcome is AuditOutcomes.Redriven or AuditOutcomes.AlreadyHandled));
        Assert.True(again.Records.Count(r => r.Outcome == AuditOutcomes.AlreadyHandled) >= atKill - 50, "what the killed console wrote counts as handled");
        var confirmed = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed);
        Assert.Equal(orders.Select(o => o.OrderId).Order(), confirmed.Select(o => o.OrderId).Order());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
