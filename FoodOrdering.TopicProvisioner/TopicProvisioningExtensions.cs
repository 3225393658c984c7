using Confluent.Kafka;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.TopicProvisioner;

internal static class TopicProvisioningExtensions
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
                .SetLogHandler((_, message) => logger.Log(
                    (LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "{Facility}: {Message}", message.Facility, message.Message))
                .SetErrorHandler((_, error) => logger.Log(
                    error.IsFatal ? LogLevel.Error : LogLevel.Debug, "Kafka admin client error {Code}: {Reason}", error.Code, error.Reason))
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
            host.Services.GetRequiredService<ILogger<TopicProvisioning>>().LogCritical(e, "{Error}", e.Message);
            return 1;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            host.Services.GetRequiredService<ILogger<TopicProvisioning>>().LogCritical("Stopped before every topic was in place");
            return 1;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
