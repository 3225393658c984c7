using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Embedded;

/// <summary>
/// Hosts Kafka and SMTP stand-ins inside the AppHost process, as resources with connection strings, state
/// and health checks, so the services run on a machine with no container engine.
/// </summary>
internal static partial class EmbeddedResourceBuilderExtensions
{
    private const string StandInWarning =
        "is a development stand-in hosted by the AppHost, not production infrastructure; run with --Infrastructure External to use real servers.";

    public static IResourceBuilder<EmbeddedKafkaResource> AddEmbeddedKafka(
        this IDistributedApplicationBuilder builder, string name, IReadOnlyList<string> topics)
    {
        var options = EmbeddedOptions.From(builder.Configuration);
        var resource = new EmbeddedKafkaResource(name);
        builder.Services.AddKeyedSingleton(name, (_, _) => EmbeddedKafkaCluster.Start(options.KafkaBrokers, options.KafkaPartitions, topics));

        return builder.AddEmbeddedResource(resource, "EmbeddedKafka", (services, _) =>
        {
            var cluster = services.GetRequiredKeyedService<EmbeddedKafkaCluster>(name);
            if (options.KafkaPort != 0)
            {
                cluster.ListenOn(options.KafkaPort, $"{EmbeddedOptions.SectionName}:{nameof(EmbeddedOptions.KafkaPort)}");
            }

            resource.BootstrapServers.Set(cluster.BootstrapServers);
            return Task.FromResult<string[]>(
            [
                $"Embedded Kafka (librdkafka mock cluster) listening on {cluster.BootstrapServers}",
                $"{options.KafkaBrokers} broker(s); topics {string.Join(", ", topics)} with {options.KafkaPartitions} partition(s) each",
                $"Embedded Kafka {StandInWarning} It keeps every message in memory and forgets them all when the AppHost stops.",
                // librdkafka's mock broker takes no credentials, and its own port is open on loopback beside the relay's.
                "Embedded Kafka has no authentication: every user of this machine can connect to it and read every order (names, emails, addresses). On a machine others use, run --Infrastructure External against a Kafka with SASL (docs/security.md).",
            ]);
        });
    }

    public static IResourceBuilder<EmbeddedSmtpResource> AddEmbeddedSmtp(this IDistributedApplicationBuilder builder, string name)
    {
        var options = EmbeddedOptions.From(builder.Configuration);
        var resource = new EmbeddedSmtpResource(name);
        builder.Services.AddKeyedSingleton(name, (_, _) => new EmbeddedSmtpSink(options.MailDirectory, options.SmtpPort));

        return builder.AddEmbeddedResource(resource, "EmbeddedSmtp", async (services, cancellationToken) =>
        {
            var sink = services.GetRequiredKeyedService<EmbeddedSmtpSink>(name);
            await sink.StartAsync(cancellationToken);
            resource.ConnectionString.Set(sink.ConnectionString);
            return
            [
                $"Embedded SMTP sink listening on 127.0.0.1:{sink.Port}",
                $"Every email is written as an .eml file to {sink.MailDirectory} (setting {EmbeddedOptions.SectionName}:MailDirectory)",
                $"Embedded SMTP {StandInWarning} It delivers nothing: every message stays in that directory.",
            ];
        });
    }

    /// <summary>
    /// Starts the resource when the orchestrator initializes it, then reports it Running and healthy; the
    /// services that WaitFor it start only then. What <paramref name="start"/> returns is logged to both the
    /// AppHost console and the resource's log in the dashboard.
    /// </summary>
    private static IResourceBuilder<T> AddEmbeddedResource<T>(
        this IDistributedApplicationBuilder builder,
        T resource,
        string resourceType,
        Func<IServiceProvider, CancellationToken, Task<string[]>> start)
        where T : Resource, IResourceWithConnectionString
    {
        var started = false;
        var healthCheck = $"{resource.Name}-started";
        builder.Services.AddHealthChecks().AddCheck(healthCheck, () =>
            started ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"{resource.Name} has not started"));

        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, async (e, cancellationToken) =>
        {
            var console = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FoodOrdering.Embedded");
            var log = e.Logger;
            await e.Notifications.PublishUpdateAsync(resource, state => state with { State = KnownResourceStates.Starting });
            try
            {
                foreach (var line in await start(e.Services, cancellationToken))
                {
                    LogStarting(console, line);
                    LogStarting(log, line);
                }

                started = true;
                await e.Eventing.PublishAsync(new ConnectionStringAvailableEvent(resource, e.Services), cancellationToken);
                await e.Notifications.PublishUpdateAsync(resource, state => state with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                });
            }
            catch (Exception ex)
            {
                LogFailedToStart(console, ex, resource.Name);
                LogFailedToStart(log, ex, resource.Name);
                await e.Notifications.PublishUpdateAsync(resource, state => state with { State = KnownResourceStates.FailedToStart });
            }
        });

        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = resourceType,
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .WithHealthCheck(healthCheck);
    }

    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogStarting(ILogger logger, string line);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Error, Message = "{Resource} failed to start")]
    private static partial void LogFailedToStart(ILogger logger, Exception exception, string resource);
}
