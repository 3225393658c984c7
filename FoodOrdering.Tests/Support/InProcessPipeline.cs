using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Kafka;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// The three services' real registrations, each in its own generic host in this process, against the embedded
/// Kafka broker and SMTP sink that the AppHost uses.
/// </summary>
internal sealed class InProcessPipeline : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];
    private readonly List<(string Service, FakeLogCollector Logs)> _logs = [];
    private readonly Dictionary<string, string?> _settings;

    private readonly Func<string, bool>? _rejectRecipient;

    private InProcessPipeline(EmbeddedKafkaCluster kafka, EmbeddedSmtpSink smtp, string mailDirectory, Func<string, bool>? rejectRecipient)
    {
        Kafka = kafka;
        Smtp = smtp;
        MailDirectory = mailDirectory;
        _rejectRecipient = rejectRecipient;
        _settings = new()
        {
            [$"ConnectionStrings:{ConnectionNames.Kafka}"] = kafka.BootstrapServers,
            [$"ConnectionStrings:{ConnectionNames.Smtp}"] = smtp.ConnectionString,
            // The mock broker acknowledges transactional offset commits without storing them (see FoodOrdering.Embedded.Clients).
            ["EmbeddedBroker:CommitOffsetsAfterTransaction"] = "true",
        };
        // As the AppHost gives every service in Embedded mode.
        foreach (var (key, value) in EmbeddedKafkaClientSettings.Configuration)
        {
            _settings[key] = value;
        }
    }

    public EmbeddedKafkaCluster Kafka { get; }

    public EmbeddedSmtpSink Smtp { get; private set; }

    public string MailDirectory { get; }

    /// <param name="rejectRecipient">Recipients the SMTP sink refuses with 550.</param>
    /// <param name="brokers">Brokers in the mock cluster; with three, each topic is replicated on all of them.</param>
    /// <param name="partitions">Partitions per topic; the embedded broker keeps at most 5 MiB of each.</param>
    public static async Task<InProcessPipeline> StartInfrastructureAsync(Func<string, bool>? rejectRecipient = null, int brokers = 1, int partitions = 3)
    {
        var mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-tests", Guid.NewGuid().ToString("N"));
        var kafka = EmbeddedKafkaCluster.Start(brokers, partitions, Topics.All);
        var smtp = new EmbeddedSmtpSink(mailDirectory, rejectRecipient: rejectRecipient);
        await smtp.StartAsync(CancellationToken.None);
        return new InProcessPipeline(kafka, smtp, mailDirectory, rejectRecipient);
    }

    /// <summary>Takes the SMTP server down: connections are refused until <see cref="StartSmtpAsync"/>.</summary>
    public ValueTask StopSmtpAsync() => Smtp.DisposeAsync();

    /// <summary>Brings the SMTP server back on the same port, writing to the same directory.</summary>
    public async Task StartSmtpAsync()
    {
        Smtp = new EmbeddedSmtpSink(MailDirectory, Smtp.Port, _rejectRecipient);
        await Smtp.StartAsync(CancellationToken.None);
    }

    /// <summary>Publishes at a steady rate, as a stream rather than a preload.</summary>
    /// <summary>
    /// Publishes new orders at <paramref name="ordersPerSecond"/> until at least <paramref name="atLeast"/> are out
    /// and <paramref name="end"/> is cancelled, so what a test does to the services meanwhile lands mid-stream however
    /// slowly the machine runs. Returns every order published.
    /// </summary>
    public async Task<List<OrderPlaced>> StreamOrdersAsync(int ordersPerSecond, int atLeast, CancellationToken end)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers, LingerMs = 5 }).Build();
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var perTick = Math.Max(1, ordersPerSecond / 100);
        var published = new List<OrderPlaced>(atLeast);
        var pending = new List<Task>(atLeast);
        bool More() => published.Count < atLeast || !end.IsCancellationRequested;
        while (More())
        {
            for (var i = 0; i < perTick && More(); i++)
            {
                var order = NewOrder();
                published.Add(order);
                pending.Add(producer.PublishAsync(Topics.OrdersReceived, order.OrderId.ToString(), order, ContractsJsonContext.Default.OrderPlaced));
            }

            await ticks.WaitForNextTickAsync();
        }

        await Task.WhenAll(pending);
        return published;
    }

    public async Task PublishAsync(IEnumerable<OrderPlaced> orders)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build();
        await Task.WhenAll(orders.Select(order =>
            producer.PublishAsync(Topics.OrdersReceived, order.OrderId.ToString(), order, ContractsJsonContext.Default.OrderPlaced)));
    }

    /// <summary>Publishes confirmations straight to <c>orders.confirmed</c>, for tests of the Emails service alone.</summary>
    public async Task PublishConfirmedAsync(IEnumerable<OrderConfirmed> orders)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build();
        await Task.WhenAll(orders.Select(order =>
            producer.PublishAsync(Topics.OrdersConfirmed, order.OrderId.ToString(), order, ContractsJsonContext.Default.OrderConfirmed)));
    }

    public static OrderConfirmed NewConfirmedOrder(string email) => new(
        Guid.NewGuid(),
        DateTimeOffset.UtcNow,
        DateTimeOffset.UtcNow,
        new Customer($"cust-{email}", "Ada Lovelace", email),
        [new PricedLine("margherita", "Margherita Pizza", 2, 11.50m, 23.00m)],
        23.00m,
        2.50m,
        2.04m,
        27.54m,
        "USD",
        "12 Analytical St");

    public static OrderPlaced NewOrder(string email = "ada@example.com", string name = "Ada Lovelace") => new(
        Guid.NewGuid(),
        DateTimeOffset.UtcNow,
        new Customer($"cust-{email}", name, email),
        [new OrderLine("margherita", 2), new OrderLine("cola", 1)],
        "12 Analytical St");

    public Task<IHost> StartTransactionsAsync(Dictionary<string, string?>? settings = null) =>
        StartAsync("FoodOrdering.Transactions", FoodOrdering.Transactions.Extensions.AddApplicationServices, settings);

    /// <param name="minimumLogLevel">The lowest level logged (and kept for <c>GetFakeLogCollector</c>), Polly's included.</param>
    public Task<IHost> StartEmailsAsync(Dictionary<string, string?>? settings = null, LogLevel minimumLogLevel = LogLevel.Information) =>
        StartAsync("FoodOrdering.Emails", FoodOrdering.Emails.Extensions.AddApplicationServices, settings, minimumLogLevel);

    public Task StartProducerAsync(int orders, double ordersPerSecond) =>
        StartAsync("FoodOrdering.Producer", FoodOrdering.Producer.Extensions.AddApplicationServices, new()
        {
            ["OrderGenerator:Enabled"] = "true",
            ["OrderGenerator:Limit"] = orders.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrderGenerator:OrdersPerSecond"] = ordersPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrderGenerator:Seed"] = "42",
        });

    /// <summary>The services' last log records at <paramref name="minimum"/> or above, oldest first, one per line.</summary>
    public string RecentLogs(LogLevel minimum = LogLevel.Information, int count = 300) => string.Join(Environment.NewLine, _logs
        .SelectMany(service => service.Logs.GetSnapshot().Where(record => record.Level >= minimum).Select(record => (service.Service, Record: record)))
        .OrderBy(entry => entry.Record.Timestamp)
        .TakeLast(count)
        .Select(entry => $"{entry.Record.Timestamp:HH:mm:ss.fff} {entry.Service} {entry.Record.Level} {entry.Record.Category}: {entry.Record.Message}"
            + (entry.Record.Exception is { } e ? $" [{e.GetType().Name}: {e.Message}]" : "")));

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

    private async Task<IHost> StartAsync(
        string applicationName, Action<IHostApplicationBuilder> addServices, Dictionary<string, string?>? extraSettings = null, LogLevel minimumLogLevel = LogLevel.Information)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = applicationName,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Configuration.AddInMemoryCollection(extraSettings ?? []);
        if (Environment.GetEnvironmentVariable("FOODORDERING_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }

        // Kept so a failing test can show what the services went through.
        builder.Logging.AddFakeLogging();
        // As the services' appsettings.json: Polly logs every attempt at Information.
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.Logging.AddFilter("Polly", minimumLogLevel < LogLevel.Information ? minimumLogLevel : LogLevel.Warning);
        addServices(builder);
        var host = builder.Build();
        _hosts.Add(host);
        _logs.Add((applicationName, host.Services.GetFakeLogCollector()));
        await host.StartAsync();
        return host;
    }
}
