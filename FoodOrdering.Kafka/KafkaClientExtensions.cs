using Confluent.Kafka;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

/// <summary>
/// Registers Confluent.Kafka clients from the <c>kafka</c> connection string, mirroring the
/// Aspire.Confluent.Kafka integration (which the package feed here lacks) so that it can replace this file later.
/// </summary>
public static class KafkaClientExtensions
{
    private const string ProducerSection = "Aspire:Confluent:Kafka:Producer";
    private const string ConsumerSection = "Aspire:Confluent:Kafka:Consumer";
    private const double LingerMs = 5;

    // Nothing a transaction produces is visible before its commit, which flushes (ignoring linger.ms), so lingering
    // costs no latency and makes fewer, larger produce requests: in the benchmark (bench/FoodOrdering.Benchmarks,
    // 200,000 orders) 20 ms priced 54,000-57,000 orders/s where 5 ms priced 45,000-50,000.
    private const double TransactionalLingerMs = 20;

    /// <summary>Registers a singleton idempotent producer (acks=all) that is flushed when the host stops.</summary>
    public static void AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaProducerSettings>? configureSettings = null)
    {
        var settings = CreateProducerSettings(builder, connectionName, configureSettings);
        builder.Services.AddSingleton(sp => new ProducerBuilder<TKey, TValue>(settings.Config)
            .SetLogHandler(LogTo(sp))
            .SetErrorHandler(ErrorsTo(sp))
            .Build());
        builder.Services.AddHostedService<KafkaProducerFlusher<TKey, TValue>>();

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-producer-{connectionName}",
                sp => new KafkaHealthCheck(sp.GetRequiredService<IProducer<TKey, TValue>>().Handle),
                HealthStatus.Unhealthy,
                tags: null));
        }
    }

    /// <summary>
    /// Registers a producer of its own under <paramref name="serviceKey"/>, configured like the shared one, for a
    /// worker that must not depend on how another part of the service uses the shared producer (transactions, say).
    /// </summary>
    public static void AddKeyedKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        string serviceKey,
        Action<KafkaProducerSettings>? configureSettings = null)
    {
        var settings = CreateProducerSettings(builder, connectionName, configureSettings);
        settings.Config.ClientId = $"{builder.Environment.ApplicationName}-{serviceKey}";
        builder.Services.AddKeyedSingleton(serviceKey, (sp, _) => new ProducerBuilder<TKey, TValue>(settings.Config)
            .SetLogHandler(LogTo(sp))
            .SetErrorHandler(ErrorsTo(sp))
            .Build());
    }

    /// <summary>
    /// Registers a <see cref="KafkaTransactionalProducerFactory"/>: a transactional producer cannot be a plain
    /// singleton because a fatal error (e.g. being fenced) leaves it unusable and its owner must build a new one.
    /// </summary>
    public static void AddKafkaTransactionalProducerFactory(
        this IHostApplicationBuilder builder,
        string connectionName,
        string transactionalIdPrefix,
        Action<KafkaProducerSettings>? configureSettings = null)
    {
        var settings = CreateProducerSettings(builder, connectionName, configureSettings, TransactionalLingerMs);
        // Failures inside a transaction surface at commit, so per-message delivery reports are only overhead.
        settings.Config.EnableDeliveryReports = false;
        builder.Services.AddSingleton(sp => new KafkaTransactionalProducerFactory(settings.Config, transactionalIdPrefix, LogTo(sp), ErrorsTo(sp)));
    }

    /// <summary>
    /// Registers a consumer under <paramref name="groupId"/> as its service key. Offsets are never stored
    /// automatically: the owner stores each one after its work is done, and stored offsets are committed periodically.
    /// Also registers a <see cref="KafkaConsumerMonitor"/> under the same key for lag and readiness; the worker
    /// tells it when it takes and finishes work (<c>Started</c>, <c>Progressed</c>).
    /// </summary>
    public static void AddKeyedKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        string groupId,
        Action<KafkaConsumerSettings>? configureSettings = null,
        Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        var settings = new KafkaConsumerSettings();
        settings.Config.ClientId = builder.Environment.ApplicationName;
        settings.Config.AutoOffsetReset = AutoOffsetReset.Earliest;
        settings.Config.IsolationLevel = IsolationLevel.ReadCommitted;
        settings.Config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        settings.Config.EnableAutoCommit = true;
        var section = builder.Configuration.GetSection(ConsumerSection);
        Bind(section, settings.Config, out var disableHealthChecks);
        Bind(section.GetSection(groupId), settings.Config, out var disableForKey);
        settings.DisableHealthChecks = disableHealthChecks || disableForKey;
        settings.StallTimeout = section.GetSection(groupId).GetValue<TimeSpan?>(nameof(KafkaConsumerSettings.StallTimeout))
            ?? section.GetValue<TimeSpan?>(nameof(KafkaConsumerSettings.StallTimeout))
            ?? settings.StallTimeout;
        settings.ConnectionString = builder.Configuration.GetConnectionString(connectionName);
        settings.Config.GroupId = groupId;
        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers = RequireBootstrapServers(settings.ConnectionString, settings.Config.BootstrapServers, connectionName);
        // At-least-once rests on this: an offset becomes committable only when the worker says its work is durable.
        settings.Config.EnableAutoOffsetStore = false;

        // Lag and progress for the gauge and the readiness check; librdkafka's default is no statistics at all.
        settings.Config.StatisticsIntervalMs ??= 5_000;
        var meterName = builder.Environment.ApplicationName;
        builder.Services.TryAddSingleton(sp => new KafkaConsumerLagGauge(sp.GetRequiredService<IMeterFactory>(), meterName));
        builder.Services.AddKeyedSingleton(groupId, (sp, _) =>
        {
            var monitor = new KafkaConsumerMonitor(groupId, settings.StallTimeout, settings.Config.StatisticsIntervalMs > 0);
            sp.GetRequiredService<KafkaConsumerLagGauge>().Add(monitor);
            return monitor;
        });
        builder.Services.AddKeyedSingleton(groupId, (sp, _) =>
        {
            var monitor = sp.GetRequiredKeyedService<KafkaConsumerMonitor>(groupId);
            var consumerBuilder = new ConsumerBuilder<TKey, TValue>(settings.Config)
                .SetLogHandler(LogTo(sp))
                .SetErrorHandler(ErrorsTo(sp))
                .SetStatisticsHandler((_, json) => monitor.Statistics(json))
                .SetPartitionsAssignedHandler((_, _) => monitor.Assigned());
            configureBuilder?.Invoke(sp, consumerBuilder);
            return consumerBuilder.Build();
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-consumer-{groupId}",
                sp => new KafkaHealthCheck(sp.GetRequiredKeyedService<IConsumer<TKey, TValue>>(groupId).Handle),
                HealthStatus.Unhealthy,
                tags: null));
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-consumer-{groupId}-progress",
                sp => sp.GetRequiredKeyedService<KafkaConsumerMonitor>(groupId),
                settings.StalledStatus,
                tags: null));
        }
    }

    private static KafkaProducerSettings CreateProducerSettings(
        IHostApplicationBuilder builder, string connectionName, Action<KafkaProducerSettings>? configureSettings, double lingerMs = LingerMs)
    {
        var settings = new KafkaProducerSettings();
        settings.Config.ClientId = builder.Environment.ApplicationName;
        settings.Config.Acks = Acks.All;
        settings.Config.EnableIdempotence = true;
        settings.Config.LingerMs = lingerMs;
        Bind(builder.Configuration.GetSection(ProducerSection), settings.Config, out var disableHealthChecks);
        settings.DisableHealthChecks = disableHealthChecks;
        settings.ConnectionString = builder.Configuration.GetConnectionString(connectionName);
        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers = RequireBootstrapServers(settings.ConnectionString, settings.Config.BootstrapServers, connectionName);
        return settings;
    }

    // Only the librdkafka property bag and the health-check switch are read: the binder cannot bind
    // Confluent's config classes (they are string dictionaries behind typed properties).
    private static void Bind(IConfigurationSection section, ClientConfig config, out bool disableHealthChecks)
    {
        foreach (var property in section.GetSection("Config").GetChildren())
        {
            if (property.Value is not null)
            {
                config.Set(property.Key, property.Value);
            }
        }

        disableHealthChecks = section.GetValue<bool>(nameof(KafkaProducerSettings.DisableHealthChecks));
    }

    private static string RequireBootstrapServers(string? connectionString, string? configured, string connectionName)
    {
        var servers = string.IsNullOrWhiteSpace(connectionString) ? configured : connectionString;
        return string.IsNullOrWhiteSpace(servers)
            ? throw new InvalidOperationException(
                $"No Kafka bootstrap servers: set ConnectionStrings:{connectionName} (the AppHost does this) or Config:bootstrap.servers.")
            : servers;
    }

    private static Action<IClient, LogMessage> LogTo(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Confluent.Kafka");
        return (_, message) => logger.Log((LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "{Facility}: {Message}", message.Facility, message.Message);
    }

    private static Action<IClient, Error> ErrorsTo(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Confluent.Kafka");
        return (_, error) => logger.Log(error.IsFatal ? LogLevel.Critical : LogLevel.Warning, "Kafka client error {Code}: {Reason}", error.Code, error.Reason);
    }
}
