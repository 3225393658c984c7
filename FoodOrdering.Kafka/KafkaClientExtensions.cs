using Confluent.Kafka;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace FoodOrdering.Kafka;

/// <summary>
/// Registers Confluent.Kafka clients with the methods, settings and configuration sections of the
/// Aspire.Confluent.Kafka integration, so that configuration written for one works for the other. Settings are
/// read from <c>Aspire:Confluent:Kafka:Producer</c> (or <c>Consumer</c>), then its <c>{name}</c> subsection,
/// then <c>ConnectionStrings:{name}</c>, then the <c>configureSettings</c> delegate; <c>Config</c> binds to the
/// typed properties of <see cref="ProducerConfig"/> and <see cref="ConsumerConfig"/> (<c>"Config": { "LingerMs": 5 }</c>).
/// </summary>
/// <remarks>
/// What differs, deliberately: producers default to acks=all with idempotence and a short linger, and a producer
/// that failed fatally is replaced (<see cref="RebuildingProducer{TKey, TValue}"/>); consumers read
/// committed records from the earliest offset with cooperative-sticky assignment, never store offsets on their
/// own, commit their stored offsets before partitions move to another member (<see cref="RevokedOffsetsCommit"/>;
/// a consumer with auto-commit on therefore takes no revoked handler of its own), and come with a
/// <see cref="KafkaConsumerMonitor"/> (lag gauge and a stall readiness check); a keyed consumer's group id defaults to its name. The transactional producer factory is ours alone.
/// </remarks>
public static partial class KafkaClientExtensions
{
    internal const string ProducerSection = "Aspire:Confluent:Kafka:Producer";
    internal const string ConsumerSection = "Aspire:Confluent:Kafka:Consumer";
    private const double LingerMs = 5;
    private const int LibrdkafkaMessageTimeoutMs = 300_000;

    // Nothing a transaction produces is visible before its commit, which flushes (ignoring linger.ms), so lingering
    // costs no latency and makes fewer, larger produce requests (bench/README.md#settings-chosen-by-measurement).
    private const double TransactionalLingerMs = 20;

    /// <inheritdoc cref="AddKafkaProducer{TKey, TValue}(IHostApplicationBuilder, string, Action{KafkaProducerSettings}?, Action{IServiceProvider, ProducerBuilder{TKey, TValue}}?)"/>
    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName)
        => AddKafkaProducerInternal<TKey, TValue>(builder, connectionName, serviceKey: null, null, null);

    /// <inheritdoc cref="AddKafkaProducer{TKey, TValue}(IHostApplicationBuilder, string, Action{KafkaProducerSettings}?, Action{IServiceProvider, ProducerBuilder{TKey, TValue}}?)"/>
    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName, Action<KafkaProducerSettings>? configureSettings)
        => AddKafkaProducerInternal<TKey, TValue>(builder, connectionName, serviceKey: null, configureSettings, null);

    /// <summary>
    /// Registers a singleton <see cref="IProducer{TKey, TValue}"/>, flushed when the host stops, that replaces its
    /// Confluent producer after a fatal error; its health check is unhealthy while publishes fail.
    /// </summary>
    /// <param name="builder">The builder to read configuration from and add services to.</param>
    /// <param name="connectionName">The connection string's name, and the name of the settings subsection.</param>
    /// <param name="configureSettings">Runs after the settings are read from configuration.</param>
    /// <param name="configureBuilder">Runs on the producer builder before it builds.</param>
    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaProducerSettings>? configureSettings, Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder)
        => AddKafkaProducerInternal(builder, connectionName, serviceKey: null, configureSettings, configureBuilder);

    /// <inheritdoc cref="AddKeyedKafkaProducer{TKey, TValue}(IHostApplicationBuilder, string, Action{KafkaProducerSettings}?, Action{IServiceProvider, ProducerBuilder{TKey, TValue}}?)"/>
    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string name)
        => AddKeyedKafkaProducer<TKey, TValue>(builder, name, null, null);

    /// <inheritdoc cref="AddKeyedKafkaProducer{TKey, TValue}(IHostApplicationBuilder, string, Action{KafkaProducerSettings}?, Action{IServiceProvider, ProducerBuilder{TKey, TValue}}?)"/>
    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string name, Action<KafkaProducerSettings>? configureSettings)
        => AddKeyedKafkaProducer<TKey, TValue>(builder, name, configureSettings, null);

    /// <summary>
    /// Registers a producer of its own under <paramref name="name"/>, for a worker that must not depend on how
    /// another part of the service uses the shared producer (transactions, say). Its client id defaults to
    /// <c>{application}-{name}</c>.
    /// </summary>
    /// <param name="builder">The builder to read configuration from and add services to.</param>
    /// <param name="name">
    /// The service key, the settings subsection (<c>Aspire:Confluent:Kafka:Producer:{name}</c>) and the connection
    /// string's name; when there is no <c>ConnectionStrings:{name}</c>, <paramref name="configureSettings"/> can
    /// supply <see cref="KafkaProducerSettings.ConnectionString"/> from a shared one.
    /// </param>
    /// <param name="configureSettings">Runs after the settings are read from configuration.</param>
    /// <param name="configureBuilder">Runs on the producer builder before it builds.</param>
    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<KafkaProducerSettings>? configureSettings, Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        AddKafkaProducerInternal(builder, name, serviceKey: name, configureSettings, configureBuilder);
    }

    /// <inheritdoc cref="AddKafkaConsumer{TKey, TValue}(IHostApplicationBuilder, string, Action{KafkaConsumerSettings}?, Action{IServiceProvider, ConsumerBuilder{TKey, TValue}}?)"/>
    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName)
        => AddKafkaConsumerInternal<TKey, TValue>(builder, connectionName, serviceKey: null, null, null);

    /// <inheritdoc cref="AddKafkaConsumer{TKey, TValue}(IHostApplicationBuilder, string, Action{KafkaConsumerSettings}?, Action{IServiceProvider, ConsumerBuilder{TKey, TValue}}?)"/>
    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName, Action<KafkaConsumerSettings>? configureSettings)
        => AddKafkaConsumerInternal<TKey, TValue>(builder, connectionName, serviceKey: null, configureSettings, null);

    /// <summary>
    /// Registers a singleton <see cref="IConsumer{TKey, TValue}"/> and its <see cref="KafkaConsumerMonitor"/>; the
    /// group id must come from configuration (<c>Config:GroupId</c>) or <paramref name="configureSettings"/>.
    /// </summary>
    /// <param name="builder">The builder to read configuration from and add services to.</param>
    /// <param name="connectionName">The connection string's name, and the name of the settings subsection.</param>
    /// <param name="configureSettings">Runs after the settings are read from configuration.</param>
    /// <param name="configureBuilder">Runs on the consumer builder before it builds.</param>
    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaConsumerSettings>? configureSettings, Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder)
        => AddKafkaConsumerInternal(builder, connectionName, serviceKey: null, configureSettings, configureBuilder);

    /// <inheritdoc cref="AddKeyedKafkaConsumer{TKey, TValue}(IHostApplicationBuilder, string, Action{KafkaConsumerSettings}?, Action{IServiceProvider, ConsumerBuilder{TKey, TValue}}?)"/>
    public static void AddKeyedKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string name)
        => AddKeyedKafkaConsumer<TKey, TValue>(builder, name, null, null);

    /// <inheritdoc cref="AddKeyedKafkaConsumer{TKey, TValue}(IHostApplicationBuilder, string, Action{KafkaConsumerSettings}?, Action{IServiceProvider, ConsumerBuilder{TKey, TValue}}?)"/>
    public static void AddKeyedKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string name, Action<KafkaConsumerSettings>? configureSettings)
        => AddKeyedKafkaConsumer<TKey, TValue>(builder, name, configureSettings, null);

    /// <summary>
    /// Registers a consumer, and its <see cref="KafkaConsumerMonitor"/>, under <paramref name="name"/>. Offsets are
    /// never stored automatically: the owner stores each one after its work is done, and stored offsets are
    /// committed periodically. The worker tells the monitor when it takes and finishes work.
    /// </summary>
    /// <param name="builder">The builder to read configuration from and add services to.</param>
    /// <param name="name">
    /// The service key, the settings subsection (<c>Aspire:Confluent:Kafka:Consumer:{name}</c>), the connection
    /// string's name and, unless configured otherwise, the group id. One consumer per group, each named after its
    /// group, lets a service run several groups off one cluster, each with its own settings subsection, as
    /// Aspire.Confluent.Kafka's keyed consumers do: the cluster's connection string is shared by supplying it in
    /// <paramref name="configureSettings"/> (<c>settings.ConnectionString ??= configuration.GetConnectionString("kafka")</c>)
    /// when there is no <c>ConnectionStrings:{name}</c>, so a per-group connection string still wins.
    /// </param>
    /// <param name="configureSettings">Runs after the settings are read from configuration.</param>
    /// <param name="configureBuilder">Runs on the consumer builder before it builds.</param>
    public static void AddKeyedKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<KafkaConsumerSettings>? configureSettings, Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        AddKafkaConsumerInternal(builder, name, serviceKey: name, configureSettings, configureBuilder);
    }

    /// <summary>
    /// Registers a <see cref="KafkaConsumerFactory{TKey, TValue}"/> under <paramref name="name"/>, for a service that
    /// runs several members of one group side by side (one per worker, each with its own partitions). Settings,
    /// group id and health checks are those of <see cref="AddKeyedKafkaConsumer{TKey, TValue}(IHostApplicationBuilder, string, Action{KafkaConsumerSettings}?, Action{IServiceProvider, ConsumerBuilder{TKey, TValue}}?)"/>;
    /// the progress check reports the least ready member, and each member's client id is <c>{ClientId}-{index}</c>.
    /// </summary>
    public static void AddKeyedKafkaConsumerFactory<TKey, TValue>(this IHostApplicationBuilder builder, string name, Action<KafkaConsumerSettings>? configureSettings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var settings = BuildConsumerSettings(builder, name, name, configureSettings);
        var groupId = settings.Config.GroupId!;
        AddLagGauge(builder);
        builder.Services.AddKeyedSingleton(name, (sp, _) => new KafkaConsumerFactory<TKey, TValue>(
            groupId,
            _ => CreateMonitor(sp, settings),
            (index, monitor, configureBuilder) =>
            {
                var config = new ConsumerConfig(settings.Config.ToDictionary(pair => pair.Key, pair => pair.Value))
                {
                    ClientId = $"{settings.Config.ClientId}-{index}",
                };
                var consumerBuilder = ConsumerBuilder<TKey, TValue>(sp, config, monitor);
                configureBuilder?.Invoke(consumerBuilder);
                return consumerBuilder.Build();
            }));

        AddTracing(builder, settings.DisableTracing);
        if (!settings.DisableHealthChecks)
        {
            KafkaConsumerFactory<TKey, TValue> Factory(IServiceProvider sp) => sp.GetRequiredKeyedService<KafkaConsumerFactory<TKey, TValue>>(name);
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-consumer-{groupId}",
                sp => Factory(sp).Members.FirstOrDefault() is { } member
                    ? new KafkaHealthCheck(member.Consumer.Handle)
                    : new NoConsumerYetCheck(groupId),
                HealthStatus.Unhealthy,
                tags: null));
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-consumer-{groupId}-progress",
                sp => new KafkaConsumerGroupProgressCheck(groupId, Factory(sp).Members.Select(member => (member.Index, member.Monitor))),
                settings.StalledStatus,
                tags: null));
        }
    }

    /// <summary>
    /// Registers a <see cref="KafkaTransactionalProducerFactory"/>, also as <see cref="ITransactionalProducerFactory"/>: a transactional producer cannot be a plain
    /// singleton because a fatal error (e.g. being fenced) leaves it unusable and its owner must build a new one.
    /// Its settings are read like a producer's named <paramref name="connectionName"/>.
    /// </summary>
    public static void AddKafkaTransactionalProducerFactory(
        this IHostApplicationBuilder builder,
        string connectionName,
        string transactionalIdPrefix,
        Action<KafkaProducerSettings>? configureSettings = null)
    {
        var settings = BuildProducerSettings(builder, connectionName, builder.Environment.ApplicationName, TransactionalLingerMs, configureSettings);
        // The commit waits for every record's delivery inside librdkafka's flush, which wakes on a delivery report and
        // otherwise only on its own timer, so without reports every commit waits out that timer. Their fields are not
        // read (failures surface at commit), and the worker that owns the producer serves them itself, in that flush
        // and when idle: a background poll thread would take them from under the flush and leave it waiting on the
        // timer again (bench/README.md#the-10-ms-commit-and-the-batch-that-closed-too-early).
        settings.Config.EnableDeliveryReports = true;
        settings.Config.DeliveryReportFields = "none";
        settings.Config.EnableBackgroundPoll = false;
        builder.Services.AddSingleton(sp => new KafkaTransactionalProducerFactory(settings.Config, transactionalIdPrefix, LogTo(sp), ErrorsTo(sp)));
        builder.Services.AddSingleton<ITransactionalProducerFactory>(sp => sp.GetRequiredService<KafkaTransactionalProducerFactory>());
        AddTracing(builder, settings.DisableTracing);
    }

    private static void AddKafkaProducerInternal<TKey, TValue>(
        IHostApplicationBuilder builder,
        string connectionName,
        string? serviceKey,
        Action<KafkaProducerSettings>? configureSettings,
        Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var application = builder.Environment.ApplicationName;
        var settings = BuildProducerSettings(builder, connectionName, serviceKey is null ? application : $"{application}-{serviceKey}", LingerMs, configureSettings);
        // A replaced producer's messages have settled (landed or failed) once message.timeout.ms has passed.
        var retireTimeout = TimeSpan.FromMilliseconds(settings.Config.MessageTimeoutMs ?? LibrdkafkaMessageTimeoutMs) + TimeSpan.FromSeconds(5);
        RebuildingProducer<TKey, TValue> Create(IServiceProvider sp)
        {
            var errors = ErrorsTo(sp);
            return new RebuildingProducer<TKey, TValue>(
                onError =>
                {
                    var producerBuilder = new ProducerBuilder<TKey, TValue>(settings.Config)
                        .SetLogHandler(LogTo(sp))
                        .SetErrorHandler((client, error) =>
                        {
                            errors(client, error);
                            onError(error);
                        });
                    configureBuilder?.Invoke(sp, producerBuilder);
                    return producerBuilder.Build();
                },
                retireTimeout,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("FoodOrdering.Kafka.Producer"));
        }

        if (serviceKey is null)
        {
            builder.Services.AddSingleton(Create);
            builder.Services.AddSingleton<IProducer<TKey, TValue>>(sp => sp.GetRequiredService<RebuildingProducer<TKey, TValue>>());
            builder.Services.AddHostedService<KafkaProducerFlusher<TKey, TValue>>();
        }
        else
        {
            builder.Services.AddKeyedSingleton(serviceKey, (sp, _) => Create(sp));
            builder.Services.AddKeyedSingleton<IProducer<TKey, TValue>>(serviceKey, (sp, key) => sp.GetRequiredKeyedService<RebuildingProducer<TKey, TValue>>(key));
        }

        AddTracing(builder, settings.DisableTracing);
        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-producer-{connectionName}",
                sp => new KafkaProducerHealthCheck<TKey, TValue>(serviceKey is null
                    ? sp.GetRequiredService<RebuildingProducer<TKey, TValue>>()
                    : sp.GetRequiredKeyedService<RebuildingProducer<TKey, TValue>>(serviceKey)),
                HealthStatus.Unhealthy,
                tags: null));
        }
    }

    private static void AddKafkaConsumerInternal<TKey, TValue>(
        IHostApplicationBuilder builder,
        string connectionName,
        string? serviceKey,
        Action<KafkaConsumerSettings>? configureSettings,
        Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = BuildConsumerSettings(builder, connectionName, serviceKey, configureSettings);
        var groupId = settings.Config.GroupId!;
        AddLagGauge(builder);

        KafkaConsumerMonitor Monitor(IServiceProvider sp) => serviceKey is null
            ? sp.GetRequiredService<KafkaConsumerMonitor>()
            : sp.GetRequiredKeyedService<KafkaConsumerMonitor>(serviceKey);

        IConsumer<TKey, TValue> Create(IServiceProvider sp)
        {
            var consumerBuilder = ConsumerBuilder<TKey, TValue>(sp, settings.Config, Monitor(sp));
            configureBuilder?.Invoke(sp, consumerBuilder);
            return consumerBuilder.Build();
        }

        if (serviceKey is null)
        {
            builder.Services.AddSingleton(sp => CreateMonitor(sp, settings));
            builder.Services.AddSingleton(Create);
        }
        else
        {
            builder.Services.AddKeyedSingleton(serviceKey, (sp, _) => CreateMonitor(sp, settings));
            builder.Services.AddKeyedSingleton(serviceKey, (sp, _) => Create(sp));
        }

        AddTracing(builder, settings.DisableTracing);
        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-consumer-{groupId}",
                sp => new KafkaHealthCheck((serviceKey is null
                    ? sp.GetRequiredService<IConsumer<TKey, TValue>>()
                    : sp.GetRequiredKeyedService<IConsumer<TKey, TValue>>(serviceKey)).Handle),
                HealthStatus.Unhealthy,
                tags: null));
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-consumer-{groupId}-progress",
                Monitor,
                settings.StalledStatus,
                tags: null));
        }
    }

    private static void AddLagGauge(IHostApplicationBuilder builder)
    {
        var meterName = builder.Environment.ApplicationName;
        builder.Services.TryAddSingleton(sp => new KafkaConsumerLagGauge(sp.GetRequiredService<IMeterFactory>(), meterName));
    }

    private static KafkaConsumerMonitor CreateMonitor(IServiceProvider sp, KafkaConsumerSettings settings)
    {
        var monitor = new KafkaConsumerMonitor(settings.Config.GroupId!, settings.StallTimeout, settings.Config.StatisticsIntervalMs > 0);
        if (!settings.DisableMetrics)
        {
            sp.GetRequiredService<KafkaConsumerLagGauge>().Add(monitor);
        }

        return monitor;
    }

    private static ConsumerBuilder<TKey, TValue> ConsumerBuilder<TKey, TValue>(IServiceProvider sp, ConsumerConfig config, KafkaConsumerMonitor monitor)
    {
        var consumerBuilder = new ConsumerBuilder<TKey, TValue>(config)
            .SetLogHandler(LogTo(sp))
            .SetErrorHandler(ErrorsTo(sp))
            .SetStatisticsHandler((_, json) => monitor.Statistics(json))
            .SetPartitionsAssignedHandler((_, _) => monitor.Assigned());
        if (config.EnableAutoCommit != false)
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("FoodOrdering.Kafka.Consumer");
            consumerBuilder.SetPartitionsRevokedHandler((consumer, revoked) => RevokedOffsetsCommit.Commit(consumer, revoked, logger));
        }

        return consumerBuilder;
    }

    internal static KafkaProducerSettings BuildProducerSettings(
        IHostApplicationBuilder builder, string connectionName, string clientId, double lingerMs, Action<KafkaProducerSettings>? configureSettings)
    {
        var settings = new KafkaProducerSettings();
        settings.Config.ClientId = clientId;
        settings.Config.Acks = Acks.All;
        settings.Config.EnableIdempotence = true;
        settings.Config.LingerMs = lingerMs;
        Bind(builder.Configuration.GetSection(ProducerSection), connectionName, settings, settings.Config);
        if (builder.Configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }

        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers = RequireBootstrapServers(settings.ConnectionString, settings.Config.BootstrapServers, connectionName);
        return settings;
    }

    internal static KafkaConsumerSettings BuildConsumerSettings(
        IHostApplicationBuilder builder, string connectionName, string? serviceKey, Action<KafkaConsumerSettings>? configureSettings)
    {
        var settings = new KafkaConsumerSettings();
        settings.Config.ClientId = builder.Environment.ApplicationName;
        settings.Config.GroupId = serviceKey;
        settings.Config.AutoOffsetReset = AutoOffsetReset.Earliest;
        settings.Config.IsolationLevel = IsolationLevel.ReadCommitted;
        settings.Config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        settings.Config.EnableAutoCommit = true;
        var section = builder.Configuration.GetSection(ConsumerSection);
        Bind(section, connectionName, settings, settings.Config);
        if (serviceKey is not null && section.GetSection(serviceKey).GetSection(nameof(KafkaConsumerSettings.Config))[nameof(ConsumerConfig.GroupId)] is null)
        {
            // A keyed consumer is its group: a GroupId shared by every consumer must not merge the groups.
            settings.Config.GroupId = serviceKey;
        }
        if (builder.Configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }

        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers = RequireBootstrapServers(settings.ConnectionString, settings.Config.BootstrapServers, connectionName);
        if (string.IsNullOrWhiteSpace(settings.Config.GroupId))
        {
            throw new InvalidOperationException($"No Kafka consumer group: set {ConsumerSection}:{connectionName}:Config:GroupId or register a keyed consumer.");
        }

        // At-least-once rests on this: an offset becomes committable only when the worker says its work is durable.
        settings.Config.EnableAutoOffsetStore = false;
        // Lag and progress for the gauge and the readiness check; librdkafka's default is no statistics at all.
        settings.Config.StatisticsIntervalMs ??= 5_000;
        return settings;
    }

    // The settings first (the switches, StallTimeout), then Config on its own: the binder does not bind a
    // get-only Confluent config reached through the settings object, but binds its typed properties directly.
    // A Config key that is no property (librdkafka's dotted names, a typo) fails the start instead of being dropped.
    private static void Bind(IConfigurationSection section, string name, object settings, ClientConfig config)
    {
        var named = section.GetSection(name);
        section.Bind(settings);
        named.Bind(settings);
        foreach (var source in new[] { section, named }.Select(s => s.GetSection(nameof(KafkaProducerSettings.Config))))
        {
            try
            {
                source.Bind(config, options => options.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException(
                    $"{source.Path} holds a key that is not a property of {config.GetType().Name}: Config takes Confluent's property names (LingerMs, not linger.ms). {e.Message}", e);
            }
        }
    }

    private static void AddTracing(IHostApplicationBuilder builder, bool disableTracing)
    {
        if (!disableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(KafkaTelemetry.ActivitySourceName));
        }
    }

    private static string RequireBootstrapServers(string? connectionString, string? configured, string connectionName)
    {
        var servers = string.IsNullOrWhiteSpace(connectionString) ? configured : connectionString;
        return string.IsNullOrWhiteSpace(servers)
            ? throw new InvalidOperationException(
                $"No Kafka bootstrap servers: set ConnectionStrings:{connectionName} (the AppHost does this) or Config:BootstrapServers.")
            : servers;
    }

    private static Action<IClient, LogMessage> LogTo(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Confluent.Kafka");
        return (_, message) => LogClientMessage(logger, KafkaClientLogLevel.Of(message), message.Facility, message.Message);
    }

    private static Action<IClient, Error> ErrorsTo(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Confluent.Kafka");
        return (_, error) => LogClientError(logger, error.IsFatal ? LogLevel.Critical : LogLevel.Warning, error.Code, error.Reason);
    }

    [LoggerMessage(EventId = 1300, Message = "{Facility}: {Message}")]
    private static partial void LogClientMessage(ILogger logger, LogLevel level, string facility, string message);

    [LoggerMessage(EventId = 1301, Message = "Kafka client error {Code}: {Reason}")]
    private static partial void LogClientError(ILogger logger, LogLevel level, ErrorCode code, string reason);
}
