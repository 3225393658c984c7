using System.Net;
using System.Net.Http.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Producer.Apis;
using FoodOrdering.Tests.Support;
using static FoodOrdering.Tests.Support.OrderRequests;

namespace FoodOrdering.Tests.Integration;

/// <summary>A customer's order stays findable on the instance that placed it however many other orders come.</summary>
public sealed class OrderTrackingRetentionTests
{
    [Fact]
    public async Task AnOrderPlacedThroughTheApiIsStillFoundAfterTenTimesTheBoardsOtherOrders()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["OrderTracking:MaxOrders"] = "50" });
        using var placed = await Post(producer, ValidOrder);
        var orderId = await OrderId(placed);
        using var other = LoopbackClient.From("127.0.0.2", producer.BaseAddress);
        for (var i = 0; i < 60; i++)
        {
            using var othersOrder = await other.SendAsync(OrderRequest(ValidOrder));
            Assert.Equal(HttpStatusCode.Created, othersOrder.StatusCode);
        }

        using var burst = await producer.Client.PostAsync("/generator/burst?count=500", null);
        using var found = await producer.Client.GetAsync($"/orders/{orderId}");

        Assert.Equal(500, (await burst.Content.ReadFromJsonAsync<BurstResult>())!.Published);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
    }
}
