using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Benchmarks.Infrastructure;

/// <summary>
/// Starts a service as <c>--hosting</c> says: its real registrations (its <c>AddApplicationServices</c>) in a host in
/// this process, as the integration tests do (no service defaults, so no telemetry export), or its Release build
/// as its own process. Either way with <see cref="ServiceConfiguration"/> and the <c>--set</c> settings on top.
/// </summary>
internal static class ServiceHosts
{
    public static Task<ServiceUnderTest> StartTransactionsAsync(BenchmarkOptions options, BenchmarkKafka kafka, TextWriter log) =>
        options.Hosting == ServiceHosting.Process
            ? StartProcessAsync(ServiceConfiguration.Transactions, ServiceConfiguration.ForTransactions(kafka), options, log)
            : StartInProcessAsync(ServiceConfiguration.Transactions, FoodOrdering.Transactions.Extensions.AddApplicationServices, ServiceConfiguration.ForTransactions(kafka), options.Settings);

    public static Task<ServiceUnderTest> StartEmailsAsync(BenchmarkOptions options, BenchmarkKafka kafka, string smtpConnectionString, TextWriter log) =>
        options.Hosting == ServiceHosting.Process
            ? StartProcessAsync(ServiceConfiguration.Emails, ServiceConfiguration.ForEmails(kafka, smtpConnectionString), options, log)
            : StartInProcessAsync(ServiceConfiguration.Emails, FoodOrdering.Emails.Extensions.AddApplicationServices, ServiceConfiguration.ForEmails(kafka, smtpConnectionString), options.Settings);

    /// <summary>The Producer with its order API on a free loopback port and its generator off.</summary>
    public static Task<ServiceUnderTest> StartProducerAsync(BenchmarkOptions options, BenchmarkKafka kafka, TextWriter log) =>
        options.Hosting == ServiceHosting.Process
            ? StartProcessAsync(ServiceConfiguration.Producer, ServiceConfiguration.ForProducer(kafka), options, log)
            : StartProducerInProcessAsync(ServiceConfiguration.ForProducer(kafka), options.Settings);

    private static async Task<ServiceUnderTest> StartProcessAsync(
        string project, Dictionary<string, string?> configuration, BenchmarkOptions options, TextWriter log)
    {
        foreach (var (key, value) in options.Settings)
        {
            configuration[key] = value;
        }

        return await ServiceProcess.StartAsync(project, configuration, log);
    }

    private static async Task<ServiceUnderTest> StartInProcessAsync(
        string applicationName,
        Action<IHostApplicationBuilder> addServices,
        Dictionary<string, string?> configuration,
        IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = applicationName,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        addServices(builder);
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessService(applicationName, host, baseAddress: null);
    }

    private static async Task<ServiceUnderTest> StartProducerInProcessAsync(Dictionary<string, string?> configuration, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = ServiceConfiguration.Producer,
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Configuration.AddInMemoryCollection(settings);
        FoodOrdering.Producer.Extensions.AddApplicationServices(builder);
        var app = builder.Build();
        FoodOrdering.Producer.Extensions.MapApplicationEndpoints(app);
        await app.StartAsync();
        return new InProcessService(ServiceConfiguration.Producer, app, new Uri(app.Urls.First()));
    }
}
