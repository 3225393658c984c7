using System.Net.Http.Json;
using FoodOrdering.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FoodOrdering.Tests.Support;

/// <summary>The operations console as its Program.cs builds it, on Kestrel, on a free loopback port.</summary>
internal sealed class OperationsApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperationsApp(WebApplication app)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public IServiceProvider Services => _app.Services;

    public static async Task<OperationsApp> StartAsync(
        string bootstrapServers, Dictionary<string, string?>? settings = null, string environment = "Development", Action<IServiceCollection>? services = null)
    {
        var configuration = new Dictionary<string, string?> { [$"ConnectionStrings:{ConnectionNames.Kafka}"] = bootstrapServers };
        // As the AppHost gives every service in Embedded mode.
        foreach (var (key, value) in EmbeddedKafkaClientSettings.Configuration)
        {
            configuration[key] = value;
        }

        foreach (var (key, value) in settings ?? [])
        {
            configuration[key] = value;
        }

        return new OperationsApp(await KestrelService.StartAsync(
            "FoodOrdering.Operations", FoodOrdering.Operations.Extensions.AddApplicationServices, FoodOrdering.Operations.Extensions.MapApplicationEndpoints, configuration, environment, services));
    }

    public async Task<T> GetAsync<T>(string path) => (await Client.GetFromJsonAsync<T>(path))!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
