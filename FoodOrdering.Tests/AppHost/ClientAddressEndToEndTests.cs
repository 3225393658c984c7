using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.Tests.Support;
using static FoodOrdering.Tests.Support.OrderRequests;

namespace FoodOrdering.Tests.AppHost;

/// <summary>The whole AppHost in embedded mode: its Producer endpoint tells clients apart.</summary>
[Collection(WholeAppHostCollection.Name)]
public sealed class ClientAddressEndToEndTests
{
    private static readonly TimeSpan StartTimeout = TestTimeouts.AppHostRun;

    [Fact]
    public async Task ThroughTheAppHostsEndpointOneClientAtItsLimitLeavesAnotherClientsOrderAlone()
    {
        var mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-tests", Guid.NewGuid().ToString("N"));
        using var timeout = new CancellationTokenSource(StartTimeout);
        // A share of one idempotency key per client: a limit that does not refill while the test runs.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--Embedded:MailDirectory", mailDirectory,
             "--OrderGenerator:Enabled", "false", "--OrderApi:RememberedKeysPerClient", "1"], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Producer, timeout.Token);
        var endpoint = app.GetEndpoint(ResourceNames.Producer, "http");
        using var oneClient = LoopbackClient.From("127.0.0.2", endpoint);
        using var otherClient = LoopbackClient.From("127.0.0.3", endpoint);

        using var first = await oneClient.SendAsync(OrderRequest(ValidOrder, "k-one-1"), timeout.Token);
        using var overItsShare = await oneClient.SendAsync(OrderRequest(ValidOrder, "k-one-2"), timeout.Token);
        using var othersOrder = await otherClient.SendAsync(OrderRequest(ValidOrder, "k-other-1"), timeout.Token);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, overItsShare.StatusCode);
        Assert.Equal(HttpStatusCode.Created, othersOrder.StatusCode);
        await app.StopAsync(timeout.Token);
    }
}
