using System.Net.Http.Json;
using FoodOrdering.Producer.Apis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
        var producerDirectory = RepositoryPath("FoodOrdering.Producer");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "FoodOrdering.Producer",
            EnvironmentName = environment,
            ContentRootPath = producerDirectory,
            WebRootPath = Path.Combine(producerDirectory, "wwwroot"),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = bootstrapServers,
            ["OrderGenerator:Enabled"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddServiceDefaults();
        FoodOrdering.Producer.Extensions.AddApplicationServices(builder);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        FoodOrdering.Producer.Extensions.MapApplicationEndpoints(app);
        await app.StartAsync();
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

    private static string RepositoryPath(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FoodOrdering.sln")))
            {
                return Path.Combine(directory.FullName, relative);
            }
        }

        throw new DirectoryNotFoundException("FoodOrdering.sln was not found above the test binaries.");
    }
}
