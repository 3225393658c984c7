using System.Net;
using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace FoodOrdering.Tests.AppHost;

/// <summary>The whole AppHost, started as <c>dotnet run</c> would, in embedded mode.</summary>
[Collection(WholeAppHostCollection.Name)]
public sealed class EndToEndTests
{
    private static readonly TimeSpan StartTimeout = TestTimeouts.AppHostRun;
    private static readonly TimeSpan EmailTimeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task GeneratedOrdersAndOrdersFromTheApiArriveAsConfirmationEmailsAndTheDashboardCommandsDriveTheGenerator()
    {
        var mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-tests", Guid.NewGuid().ToString("N"));
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--Embedded:MailDirectory", mailDirectory], timeout.Token);
        builder.Services.AddLogging(logging => logging.AddFakeLogging());
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Emails, timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Producer, timeout.Token);

        // The generator runs by default: its orders come back as emails, and nothing on the way logged a warning.
        await WaitForEmailsAsync(mailDirectory, 3);
        var warnings = await WarningsLogged.ByAsync(app, timeout.Token);
        Assert.True(warnings.Count == 0, string.Join(Environment.NewLine, warnings));
        var first = Emails(mailDirectory).First();
        Assert.Matches("^Your FoodOrdering order [0-9a-f-]{36} is confirmed$", first.Subject);
        Assert.Contains("Total", first.TextBody);

        // Dashboard commands: stop the generator, then burst.
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var stop = await commands.ExecuteCommandAsync(ResourceNames.Producer, "generator-stop", timeout.Token);
        Assert.True(stop.Success, stop.Message);
        using var producer = app.CreateHttpClient(ResourceNames.Producer);
        var stopped = await producer.GetFromJsonAsync<Producer.Apis.GeneratorStatus>("/generator", timeout.Token);
        Assert.False(stopped!.Running);
        var burst = await commands.ExecuteCommandAsync(ResourceNames.Producer, "generator-burst", timeout.Token);
        Assert.True(burst.Success, burst.Message);

        // An order through the API is emailed too.
        using var response = await producer.PostAsync("/orders", new StringContent("""
            {"customer":{"name":"Grace Hopper","email":"grace@example.com"},"deliveryAddress":"1 Navy Yard",
             "lines":[{"menuItemId":"tiramisu","quantity":2}]}
            """, Encoding.UTF8, "application/json"), timeout.Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.OrderPlaced, timeout.Token);

        await WaitForEmailsAsync(mailDirectory, stopped.Generated + 100 + 1);
        var fromApi = Assert.Single(Emails(mailDirectory), email => email.Subject?.Contains(order!.OrderId.ToString(), StringComparison.Ordinal) == true);
        Assert.Equal("grace@example.com", Assert.Single(fromApi.To.Mailboxes).Address);
        Assert.Contains("14.80 USD", fromApi.TextBody); // 2 × 5.60 + 2.50 fee + 1.10 tax
        Directory.Delete(mailDirectory, recursive: true);
    }

    [RedisFact]
    public async Task TwoProducerReplicasBehindOneEndpointShareTheirIdempotencyKeysInTheGivenRedis()
    {
        using var redis = await RedisServer.StartAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--Producer:Replicas", "2", "--ConnectionStrings:redis", redis.ConnectionString, "--OrderGenerator:Enabled", "false"],
            timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Producer, timeout.Token);
        using var producer = app.CreateHttpClient(ResourceNames.Producer);

        var orderIds = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
            {
                Content = new StringContent("""
                    {"customer":{"name":"Grace Hopper","email":"grace@example.com"},"deliveryAddress":"1 Navy Yard",
                     "lines":[{"menuItemId":"tiramisu","quantity":2}]}
                    """, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(Producer.Apis.OrdersApi.IdempotencyKeyHeader, "k-e2e");
            using var response = await producer.SendAsync(request, timeout.Token);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.OrderPlaced, timeout.Token))!.OrderId;
        }));

        Assert.Single(orderIds.Distinct());
        await using var keys = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.True(await keys.GetDatabase().KeyExistsAsync("food-ordering:idempotency-key:{k-e2e}"), "the key is not in the given Redis");
    }

    private static Task WaitForEmailsAsync(string mailDirectory, int count) =>
        Eventually.WaitUntilAsync(
            () => Directory.Exists(mailDirectory) && Directory.EnumerateFiles(mailDirectory, "*.eml").Count() >= count,
            EmailTimeout,
            () => $"fewer than {count} .eml files appeared in {mailDirectory}");

    private static List<MimeMessage> Emails(string mailDirectory) =>
        [.. Directory.EnumerateFiles(mailDirectory, "*.eml").Order().Select(path => MimeMessage.Load(path))];
}
