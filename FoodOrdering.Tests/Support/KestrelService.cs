using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A web service as its Program.cs builds it (service defaults, registrations, endpoints) on Kestrel, on a free
/// loopback port, with its own content root and wwwroot.
/// </summary>
internal static class KestrelService
{
    public static async Task<WebApplication> StartAsync(
        string project,
        Action<IHostApplicationBuilder> addServices,
        Func<WebApplication, WebApplication> mapEndpoints,
        Dictionary<string, string?> settings,
        string environment,
        Action<IServiceCollection>? services)
    {
        var directory = RepositoryPath(project);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = project,
            EnvironmentName = environment,
            ContentRootPath = directory,
            WebRootPath = Path.Combine(directory, "wwwroot"),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        addServices(builder);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapEndpoints(app);
        await app.StartAsync();
        return app;
    }

    public static string RepositoryPath(string relative)
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
