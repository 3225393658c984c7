using Confluent.Kafka;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.TopicProvisioner;

internal static partial class TopicProvisioningExtensions
{
    // The AppHost hands every Kafka client of a service its security settings (SASL, TLS) in the producers' section,
    // as Aspire.Confluent.Kafka reads them; the admin client takes the same ClientConfig properties.
    private const string ClientConfigSection = "Aspire:Confluent:Kafka:Producer:Config";

    /// <summary>
    /// Registers <see cref="TopicProvisioning"/> for <see cref="Topics.All"/>, with its options bound from the
    /// <c>TopicProvisioning</c> section and <c>ConnectionStrings:kafka</c>, validated when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddTopicProvisioning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TopicProvisioningOptions>()
            .BindConfiguration(TopicProvisioningOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.BootstrapServers ??= configuration.GetConnectionString(ConnectionNames.Kafka))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var config = new AdminClientConfig();
            services.GetRequiredService<IConfiguration>().GetSection(ClientConfigSection).Bind(config);
            config.BootstrapServers = services.GetRequiredService<IOptions<TopicProvisioningOptions>>().Value.BootstrapServers;
            return config;
        });
        builder.Services.AddSingleton<Func<IAdminClient>>(services => () =>
        {
            var logger = services.GetRequiredService<ILogger<TopicProvisioning>>();
            return new AdminClientBuilder(services.GetRequiredService<AdminClientConfig>())
                // Connection errors while the brokers start are expected; what they amount to is reported once.
                .SetLogHandler((_, message) => LogClientMessage(logger, (LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging), message.Facility, message.Message))
                .SetErrorHandler((_, error) => LogClientError(logger, error.IsFatal ? LogLevel.Error : LogLevel.Debug, error.Code, error.Reason))
                .Build();
        });
        builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<TopicProvisioning>(services, Topics.All));
        return builder;
    }

    /// <summary>
    /// Starts the host (which validates the options), provisions the topics once and stops: exit code 0 when every
    /// topic is in place, 1 otherwise, so whatever waits for this step's completion does not start on missing topics.
    /// </summary>
    public static async Task<int> RunOnceAsync(this IHost host)
    {
        await host.StartAsync();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        try
        {
            await host.Services.GetRequiredService<TopicProvisioning>().ProvisionAsync(lifetime.ApplicationStopping);
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or KafkaException)
        {
            LogFailed(host.Services.GetRequiredService<ILogger<TopicProvisioning>>(), e, e.Message);
            return 1;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            LogStopped(host.Services.GetRequiredService<ILogger<TopicProvisioning>>());
            return 1;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [LoggerMessage(EventId = 8504, Level = LogLevel.Critical, Message = "{Error}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string error);

    [LoggerMessage(EventId = 8505, Level = LogLevel.Critical, Message = "Stopped before every topic was in place")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 8600, Message = "{Facility}: {Message}")]
    private static partial void LogClientMessage(ILogger logger, LogLevel level, string facility, string message);

    [LoggerMessage(EventId = 8601, Message = "Kafka admin client error {Code}: {Reason}")]
    private static partial void LogClientError(ILogger logger, LogLevel level, ErrorCode code, string reason);
}
