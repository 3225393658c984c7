using FoodOrdering.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Tests.Support;

/// <summary>The operations console as its Program.cs builds it, on Kestrel, on a free loopback port.</summary>
internal sealed class OperationsConsoleApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperationsConsoleApp(WebApplication app)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public static async Task<OperationsConsoleApp> StartAsync(string bootstrapServers, Dictionary<string, string?>? settings = null, string environment = "Development")
    {
        var directory = Path.Combine(RepositoryRoot(), "FoodOrdering.Operations");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "FoodOrdering.Operations",
            EnvironmentName = environment,
            ContentRootPath = directory,
            WebRootPath = Path.Combine(directory, "wwwroot"),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{ConnectionNames.Kafka}"] = bootstrapServers });
        // What the AppHost hands every service that runs against the embedded broker.
        builder.Configuration.AddInMemoryCollection(EmbeddedKafkaClientSettings.Configuration.Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value)));
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddServiceDefaults();
        FoodOrdering.Operations.Extensions.AddApplicationServices(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        FoodOrdering.Operations.Extensions.MapApplicationEndpoints(app);
        await app.StartAsync();
        return new OperationsConsoleApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FoodOrdering.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("FoodOrdering.sln was not found above the test binaries.");
    }
}
