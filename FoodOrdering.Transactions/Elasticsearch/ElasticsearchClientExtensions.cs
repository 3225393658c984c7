using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace FoodOrdering.Elasticsearch;

/// <summary>
/// Registers an <see cref="ElasticsearchClient"/> from a connection string with the method, settings and
/// configuration sections of the Aspire.Elastic.Clients.Elasticsearch integration, which the dotnet/aspire
/// repository no longer carries; where a feed offers a package of that shape for this Aspire version, it can
/// replace this file without changing a call site or a configuration key.
/// </summary>
public static class ElasticsearchClientExtensions
{
    public const string SectionName = "Aspire:Elastic:Clients:Elasticsearch";

    /// <summary>The ActivitySource Elastic.Transport emits a span on for every request.</summary>
    public const string ActivitySourceName = "Elastic.Transport";

    private static readonly TimeSpan DefaultHealthCheckTimeout = TimeSpan.FromSeconds(5);

    public static void AddElasticsearchClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<ElasticClientsElasticsearchSettings>? configureSettings = null,
        Action<ElasticsearchClientSettings>? configureClientSettings = null)
    {
        var settings = ReadSettings(builder.Configuration, connectionName, configureSettings);
        builder.Services.AddSingleton(_ => new ElasticsearchClient(CreateClientSettings(settings, connectionName, configureClientSettings)));

        if (!settings.DisableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(ActivitySourceName));
        }

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "Elastic.Clients.Elasticsearch",
                sp => new ElasticsearchHealthCheck(sp.GetRequiredService<ElasticsearchClient>(),
                    settings.HealthCheckTimeout > 0 ? TimeSpan.FromMilliseconds(settings.HealthCheckTimeout.Value) : DefaultHealthCheckTimeout),
                failureStatus: null,
                tags: null));
        }
    }

    /// <summary>True when configuration names a cluster for <paramref name="connectionName"/> (the AppHost gives none in Embedded mode).</summary>
    public static bool IsElasticsearchConfigured(this IConfiguration configuration, string connectionName) =>
        ReadSettings(configuration, connectionName, configureSettings: null).Endpoint is not null;

    internal static ElasticClientsElasticsearchSettings ReadSettings(
        IConfiguration configuration, string connectionName, Action<ElasticClientsElasticsearchSettings>? configureSettings)
    {
        var settings = new ElasticClientsElasticsearchSettings();
        configuration.GetSection(SectionName).Bind(settings);
        configuration.GetSection(SectionName).GetSection(connectionName).Bind(settings);
        settings.ParseConnectionString(configuration.GetConnectionString(connectionName));
        configureSettings?.Invoke(settings);
        return settings;
    }

    internal static ElasticsearchClientSettings CreateClientSettings(
        ElasticClientsElasticsearchSettings settings, string connectionName, Action<ElasticsearchClientSettings>? configureClientSettings)
    {
        var endpoint = settings.Endpoint ?? throw new InvalidOperationException(
            $"No Elasticsearch endpoint: set ConnectionStrings:{connectionName} (the AppHost does this in Containers and External modes) or {SectionName}:Endpoint.");

        // The credentials go into an Authorization header, never into request URLs or logs.
        var node = new UriBuilder(endpoint) { UserName = "", Password = "" }.Uri;
        var clientSettings = new ElasticsearchClientSettings(node);
        if (settings.ApiKey is { Length: > 0 } apiKey)
        {
            clientSettings.Authentication(new ApiKey(apiKey));
        }
        else if (endpoint.UserInfo is { Length: > 0 } userInfo)
        {
            var separator = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(separator < 0 ? userInfo : userInfo[..separator]);
            var password = separator < 0 ? "" : Uri.UnescapeDataString(userInfo[(separator + 1)..]);
            clientSettings.Authentication(new BasicAuthentication(user, password));
        }

        configureClientSettings?.Invoke(clientSettings);
        return clientSettings;
    }
}
