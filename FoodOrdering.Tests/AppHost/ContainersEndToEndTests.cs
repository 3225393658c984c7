using System.Net;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.AppHost.Containers;
using FoodOrdering.Transactions.Indexing;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.AppHost;

/// <summary>The AppHost in containers mode: real Kafka, Mailpit, Elasticsearch and Kibana. Runs only where a container engine answers.</summary>
[Collection(WholeAppHostCollection.Name)]
public sealed class ContainersEndToEndTests
{
    private static readonly TimeSpan StartTimeout = TestTimeouts.ContainersAppHostRun;
    private static readonly TimeSpan EmailTimeout = TestTimeouts.PipelineStep;

    [ContainerRuntimeFact]
    public async Task AnOrderFromTheApiIsConfirmedByAnEmailThatMailpitShowsAndIndexedForTheKibanaDashboard()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Containers"], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Emails, timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Producer, timeout.Token);
        using var producer = app.CreateHttpClient(ResourceNames.Producer);
        using var mailpit = app.CreateHttpClient(ConnectionNames.Smtp, "http");

        using var response = await producer.PostAsync("/orders", new StringContent("""
            {"customer":{"name":"Grace Hopper","email":"grace@example.com"},"deliveryAddress":"1 Navy Yard",
             "lines":[{"menuItemId":"brownie","quantity":1}]}
            """, Encoding.UTF8, "application/json"), timeout.Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var order = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
        var orderId = order.RootElement.GetProperty("orderId").GetString()!;

        string? subjects = null;
        await Eventually.WaitUntilAsync(
            () => (subjects = mailpit.GetStringAsync("/api/v1/messages").GetAwaiter().GetResult()).Contains(orderId, StringComparison.Ordinal),
            EmailTimeout,
            () => $"Mailpit shows no email for order {orderId}: {subjects}");

        // The order's line is a document in Elasticsearch under its deterministic id.
        var elasticsearch = new Uri((await app.GetConnectionStringAsync(ConnectionNames.Elasticsearch, timeout.Token))!);
        using var http = new HttpClient();
        string? document = null;
        await Eventually.WaitUntilAsync(
            () => (document = Get(http, elasticsearch, $"/{AnalyticsIndexTemplate.IndexName}/_doc/{orderId}-1")) is not null,
            EmailTimeout,
            () => $"Elasticsearch holds no document {orderId}-1");
        Assert.Contains("\"item\":\"Chocolate Brownie\"", document);

        // The dashboard was imported into Kibana, which the elastic user may read.
        await app.ResourceNotifications.WaitForResourceHealthyAsync("kibana", timeout.Token);
        var kibana = new UriBuilder(app.GetEndpoint("kibana", "http")) { UserName = elasticsearch.UserInfo.Split(':')[0], Password = elasticsearch.UserInfo.Split(':')[1] }.Uri;
        await Eventually.WaitUntilAsync(
            () => Get(http, kibana, $"/api/saved_objects/dashboard/{KibanaSavedObjects.DashboardId}") is not null,
            EmailTimeout,
            () => "Kibana has no FoodOrdering dashboard");
    }

    private static string? Get(HttpClient http, Uri baseUrl, string path)
    {
        try
        {
            using var response = http.Send(ElasticsearchRequests.Create(HttpMethod.Get, baseUrl, path));
            return response.IsSuccessStatusCode ? response.Content.ReadAsStringAsync().GetAwaiter().GetResult() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
