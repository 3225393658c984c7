using System.Net.Http.Json;
using FoodOrdering.Producer.Apis;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// The Producer as its Program.cs builds it (service defaults, registrations, endpoints) on Kestrel, on a free
/// loopback port.
/// </summary>
internal sealed class ProducerApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProducerApp(WebApplication app)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public IServiceProvider Services => _app.Services;

    /// <param name="bootstrapServers">The Kafka cluster.</param>
    /// <param name="settings">Configuration on top of the Producer's own.</param>
    /// <param name="time">A clock to replace the system's, for tests that drive the generator's timer themselves.</param>
    /// <param name="environment">The host environment: Development, as under the AppHost, unless a test needs another.</param>
    /// <param name="services">Replaces registrations, after the Producer's own.</param>
    public static async Task<ProducerApp> StartAsync(
        string bootstrapServers,
        Dictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        string environment = "Development",
        Action<IServiceCollection>? services = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = bootstrapServers,
            ["OrderGenerator:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? [])
        {
            configuration[key] = value;
        }

        var app = await KestrelService.StartAsync("FoodOrdering.Producer", FoodOrdering.Producer.Extensions.AddApplicationServices, FoodOrdering.Producer.Extensions.MapApplicationEndpoints, configuration, environment, registrations =>
        {
            if (time is not null)
            {
                registrations.AddSingleton(time);
            }

            services?.Invoke(registrations);
        });
        return new ProducerApp(app);
    }

    public async Task<GeneratorStatus> GeneratorStatusAsync() =>
        (await Client.GetFromJsonAsync<GeneratorStatus>("/generator"))!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
