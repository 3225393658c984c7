using FoodOrdering.AppHost.Embedded;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// The three services' real registrations, each in its own generic host in this process, against the embedded
/// Kafka broker and SMTP sink that the AppHost uses.
/// </summary>
internal sealed class InProcessPipeline : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];
    private readonly Dictionary<string, string?> _settings;

    private InProcessPipeline(EmbeddedKafkaCluster kafka, EmbeddedSmtpSink smtp, string mailDirectory)
    {
        Kafka = kafka;
        Smtp = smtp;
        MailDirectory = mailDirectory;
        _settings = new()
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = kafka.BootstrapServers,
            [$"ConnectionStrings:{ConnectionNames.Smtp}"] = smtp.ConnectionString,
        };
    }

    public EmbeddedKafkaCluster Kafka { get; }

    public EmbeddedSmtpSink Smtp { get; }

    public string MailDirectory { get; }

    public static async Task<InProcessPipeline> StartInfrastructureAsync()
    {
        var mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-tests", Guid.NewGuid().ToString("N"));
        var kafka = EmbeddedKafkaCluster.Start(brokers: 1, partitions: 3, Topics.All);
        var smtp = new EmbeddedSmtpSink(mailDirectory);
        await smtp.StartAsync(CancellationToken.None);
        return new InProcessPipeline(kafka, smtp, mailDirectory);
    }

    public Task StartTransactionsAsync() => StartAsync("FoodOrdering.Transactions", FoodOrdering.Transactions.Extensions.AddApplicationServices);

    public Task StartEmailsAsync() => StartAsync("FoodOrdering.Emails", FoodOrdering.Emails.Extensions.AddApplicationServices);

    public Task StartProducerAsync(int orders, double ordersPerSecond) =>
        StartAsync("FoodOrdering.Producer", FoodOrdering.Producer.Extensions.AddApplicationServices, new()
        {
            ["OrderGenerator:Limit"] = orders.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrderGenerator:OrdersPerSecond"] = ordersPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrderGenerator:Seed"] = "42",
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            host.Dispose();
        }

        await Smtp.DisposeAsync();
        Kafka.Dispose();
        if (Directory.Exists(MailDirectory))
        {
            Directory.Delete(MailDirectory, recursive: true);
        }
    }

    private async Task StartAsync(string applicationName, Action<IHostApplicationBuilder> addServices, Dictionary<string, string?>? extraSettings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = applicationName,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Configuration.AddInMemoryCollection(extraSettings ?? []);
        addServices(builder);
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
    }
}
