using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.Tests.Support;
using static FoodOrdering.Tests.Support.OrderRequests;

namespace FoodOrdering.Tests.AppHost;

/// <summary>The whole AppHost in embedded mode: its Producer endpoint tells clients apart.</summary>
public sealed class ClientAddressEndToEndTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ThroughTheAppHostsEndpointOneClientOverItsRateLeavesAnotherClientsOrderAlone()
    {
        var mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-tests", Guid.NewGuid().ToString("N"));
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--Embedded:MailDirectory", mailDirectory,
             "--OrderGenerator:Enabled", "false", "--OrderApi:OrdersPerSecondPerClient", "2"], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Producer, timeout.Token);
        var endpoint = app.GetEndpoint(ResourceNames.Producer, "http");
        using var flooder = LoopbackClient.From("127.0.0.2", endpoint);
        using var other = LoopbackClient.From("127.0.0.3", endpoint);

        var flooded = HttpStatusCode.Created;
        for (var i = 0; i < 40 && flooded == HttpStatusCode.Created; i++)
        {
            using var response = await flooder.SendAsync(OrderRequest(ValidOrder), timeout.Token);
            flooded = response.StatusCode;
        }

        using var othersOrder = await other.SendAsync(OrderRequest(ValidOrder), timeout.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, flooded);
        Assert.Equal(HttpStatusCode.Created, othersOrder.StatusCode);
        await app.StopAsync(timeout.Token);
    }
}
