using FoodOrdering.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Benchmarks.Infrastructure;

/// <summary>The Producer's real registrations and endpoints on Kestrel, on a free loopback port, with the generator off.</summary>
internal sealed class ProducerApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProducerApiHost(WebApplication app)
    {
        _app = app;
        BaseAddress = new Uri(app.Urls.First());
    }

    public Uri BaseAddress { get; }

    public static async Task<ProducerApiHost> StartAsync(BenchmarkKafka kafka, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "FoodOrdering.Producer",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = kafka.BootstrapServers,
            ["OrderGenerator:Enabled"] = "false",
            // All the load comes from one address; the per-client rate limit would measure itself.
            ["OrderApi:OrdersPerSecondPerClient"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            // The order page is not served here: no wwwroot next to the benchmark.
            ["Logging:LogLevel:Microsoft.AspNetCore.StaticFiles"] = "Error",
            // As the Producer's appsettings.json: an order Kafka cannot take within 10 s is answered 503.
            ["Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs"] = "10000",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        FoodOrdering.Producer.Extensions.AddApplicationServices(builder);
        var app = builder.Build();
        FoodOrdering.Producer.Extensions.MapApplicationEndpoints(app);
        await app.StartAsync();
        return new ProducerApiHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
