using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Confluent.Kafka;
using FoodOrdering.AppHost.Containers;
using FoodOrdering.Elasticsearch;
using FoodOrdering.Embedded;
using FoodOrdering.Emails;
using FoodOrdering.Kafka;
using FoodOrdering.Producer.Generator;
using FoodOrdering.Operators;
using FoodOrdering.Producer.Tracking;
using FoodOrdering.Producer.Orders;
using FoodOrdering.Transactions;
using FoodOrdering.Transactions.Indexing;
using Microsoft.Extensions.Configuration;

using FoodOrdering.Tests.Support;
using FoodOrdering.TopicProvisioner;

namespace FoodOrdering.Tests.Unit;

/// <summary>
/// Every configuration key the project ships — in each project's appsettings*.json and in the environment the
/// AppHost hands each service in every infrastructure mode — must land on a public settable property of the
/// class that reads it, with a value that property accepts. The configuration binder ignores a key that matches
/// nothing, so without this a misspelt key (or a librdkafka-style <c>Config:linger.ms</c>, which
/// Confluent's typed config does not bind) would silently change nothing.
/// </summary>
public sealed class ShippedConfigurationTests
{
    private const string Producer = "Aspire:Confluent:Kafka:Producer";
    private const string Consumer = "Aspire:Confluent:Kafka:Consumer";

    // Sections read by the framework or by name rather than bound to a class of ours.
    private static readonly string[] FrameworkSections = ["Logging", "ConnectionStrings", "services"];

    private static readonly (string Section, Type Settings, Type? Config)[] Sections =
    [
        (Producer, typeof(KafkaProducerSettings), typeof(ProducerConfig)),
        (Consumer, typeof(KafkaConsumerSettings), typeof(ConsumerConfig)),
        (ElasticsearchClientExtensions.SectionName, typeof(ElasticClientsElasticsearchSettings), null),
        (OrderGeneratorOptions.SectionName, typeof(OrderGeneratorOptions), null),
        (OrderApiOptions.SectionName, typeof(OrderApiOptions), null),
        (OperatorOptions.SectionName, typeof(OperatorOptions), null),
        (FoodOrdering.Clients.ClientAddressOptions.SectionName, typeof(FoodOrdering.Clients.ClientAddressOptions), null),
        (OrderTrackingOptions.SectionName, typeof(OrderTrackingOptions), null),
        (PricingOptions.SectionName, typeof(PricingOptions), null),
        (OrderProcessingOptions.SectionName, typeof(OrderProcessingOptions), null),
        (IndexerOptions.SectionName, typeof(IndexerOptions), null),
        (EmailOptions.SectionName, typeof(EmailOptions), null),
        (EmbeddedOptions.SectionName, typeof(EmbeddedOptions), null),
        (FoodOrdering.Embedded.Clients.EmbeddedBrokerOptions.SectionName, typeof(FoodOrdering.Embedded.Clients.EmbeddedBrokerOptions), null),
        (ContainersOptions.SectionName, typeof(ContainersOptions), null),
        (TopicProvisioningOptions.SectionName, typeof(TopicProvisioningOptions), null),
        (FoodOrdering.Operations.OperationsOptions.SectionName, typeof(FoodOrdering.Operations.OperationsOptions), null),
        (FoodOrdering.Operations.Analytics.AnalyticsOptions.SectionName, typeof(FoodOrdering.Operations.Analytics.AnalyticsOptions), null),
    ];

    public static TheoryData<string> AppSettingsFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot(), "appsettings*.json", SearchOption.AllDirectories)
                     .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                    && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            files.Add(Path.GetRelativePath(RepositoryRoot(), file));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(AppSettingsFiles))]
    public void EveryKeyInAppSettingsBindsToAProperty(string file)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), file)).Build();

        AssertAllBind(configuration.AsEnumerable().Where(pair => pair.Value is not null).Select(pair => (pair.Key, pair.Value!)), file);
    }

    [Theory]
    [InlineData("Embedded")]
    [InlineData("Containers")]
    [InlineData("External")]
    public async Task EveryKeyTheAppHostHandsAServiceBindsToAProperty(string mode)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
        [
            "--Infrastructure", mode,
            "--ConnectionStrings:kafka", "pkc-1.example.cloud:9092",
            "--ConnectionStrings:smtp", "Endpoint=smtp://mail.example.net:587",
            "--ConnectionStrings:elasticsearch", "Endpoint=https://analytics.es.example.cloud:443;ApiKey=bm90LWEtcmVhbC1rZXk=",
            "--External:Kafka:SecurityProtocol", "SASL_SSL",
            "--External:Kafka:SaslMechanism", "SCRAM-SHA-512",
            "--External:Kafka:SaslUsername", "api-key-1",
            "--Parameters:kafka-password", "not-a-real-secret",
            "--Transactions:Replicas", "2",
        ]);

        var services = builder.Resources.OfType<ProjectResource>().ToList();
        // The three services, the operations console, and the topic provisioning step wherever Kafka is not the embedded broker.
        Assert.Equal(mode == "Embedded" ? 4 : 5, services.Count);
        var kafkaKeys = 0;
        foreach (var service in services)
        {
            var environment = await Environment(service);
            // Environment variables become configuration keys with "__" for ":"; the rest (OTEL_SERVICE_NAME,
            // ASPNETCORE_URLS and the like) are read as plain variables, not bound.
            var keys = environment.Where(pair => pair.Key.Contains("__", StringComparison.Ordinal))
                .Select(pair => (Key: pair.Key.Replace("__", ":", StringComparison.Ordinal), pair.Value))
                .ToList();
            kafkaKeys += keys.Count(pair => pair.Key.StartsWith("Aspire:Confluent:Kafka:", StringComparison.OrdinalIgnoreCase));
            AssertAllBind(keys, $"{mode} mode, {service.Name}");
        }

        // Embedded mode tunes the consumers for the mock broker; External mode hands every client its security.
        Assert.True(mode == "Containers" || kafkaKeys > 0, $"{mode} mode handed no Kafka client settings, so this test checked none");
    }

    [Theory]
    [InlineData($"{Producer}:Config:linger.ms", "5")]
    [InlineData($"{Consumer}:Config:fetch.wait.max.ms", "10")]
    [InlineData($"{Consumer}:transactions:Config:NoSuchProperty", "1")]
    [InlineData($"{Consumer}:Config:SecurityProtocol", "SASL_SSL")]
    [InlineData($"{Producer}:DisableHealthCheck", "true")]
    [InlineData("OrderApi:MaxBodyByte", "1")]
    [InlineData("Pricing:TaxRate", "high")]
    [InlineData("Unknown:Section", "1")]
    public void AKeyThatBindsToNothingOrAValueItsPropertyRefusesFails(string key, string value) =>
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertAllBind([(key, value)], "the test"));

    [Theory]
    [InlineData($"{Producer}:Config:LingerMs", "5")]
    [InlineData($"{Consumer}:transactions:Config:FetchWaitMaxMs", "10")]
    [InlineData($"{Consumer}:Config:SecurityProtocol", "SaslSsl")]
    [InlineData($"{Consumer}:analytics-indexer:StallTimeout", "00:01:00")]
    [InlineData($"{Producer}:ConnectionString", "localhost:9092")]
    [InlineData($"{ElasticsearchClientExtensions.SectionName}:elasticsearch:HealthCheckTimeout", "3000")]
    public void AKeyThatBindsPasses(string key, string value) => AssertAllBind([(key, value)], "the test");

    private static void AssertAllBind(IEnumerable<(string Key, string Value)> pairs, string source)
    {
        var failures = new List<string>();
        foreach (var (key, value) in pairs)
        {
            if (Problem(key, value) is { } problem)
            {
                failures.Add($"{key} = {value}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, $"In {source}, keys that bind to nothing:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, failures)}");
    }

    private static string? Problem(string key, string value)
    {
        var segments = key.Split(':');
        if (segments.Length == 1 || FrameworkSections.Contains(segments[0], StringComparer.OrdinalIgnoreCase))
        {
            // A section's own entry (its value is null in JSON and never reaches here) or one the framework reads.
            return segments.Length == 1 && !FrameworkSections.Contains(segments[0], StringComparer.OrdinalIgnoreCase)
                ? "a top-level value no options class reads"
                : null;
        }

        var match = Sections.FirstOrDefault(section => key.StartsWith(section.Section + ":", StringComparison.OrdinalIgnoreCase));
        if (match.Section is null)
        {
            return "no options class reads this section (add it to ShippedConfigurationTests.Sections if one does)";
        }

        var path = key[(match.Section.Length + 1)..].Split(':');
        // Aspire-style client sections may hold a {name} subsection with the same members.
        if (match.Section.StartsWith("Aspire:", StringComparison.Ordinal) && path.Length > 1
            && match.Settings.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is null)
        {
            path = path[1..];
        }

        if (match.Config is not null && path.Length == 2 && string.Equals(path[0], nameof(KafkaProducerSettings.Config), StringComparison.OrdinalIgnoreCase))
        {
            return BindProblem(match.Config, path[1], value);
        }

        return path.Length == 1
            ? BindProblem(match.Settings, path[0], value)
            : $"nested key under {match.Settings.Name}, which has no such member";
    }

    private static string? BindProblem(Type type, string name, string value)
    {
        if (Property(type, name) is not { } property)
        {
            return $"{type.Name} has no public settable property '{name}'";
        }

        // A value the AppHost fills in at run time (a parameter or an endpoint) is checked for its key only.
        if (value.StartsWith('{') && value.EndsWith('}'))
        {
            return null;
        }

        try
        {
            var instance = Activator.CreateInstance(type, nonPublic: true)!;
            new ConfigurationBuilder().AddInMemoryCollection([new(property.Name, value)]).Build()
                .Bind(instance, options => options.ErrorOnUnknownConfiguration = true);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return $"{type.Name}.{property.Name} does not take '{value}' ({e.GetBaseException().Message})";
        }
    }

    private static PropertyInfo? Property(Type type, string name) =>
        type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { SetMethod.IsPublic: true } property
            ? property
            : null;

    private static Task<Dictionary<string, string>> Environment(IResource resource) => ManifestEnvironment.OfAsync(resource);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FoodOrdering.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"FoodOrdering.sln is not above {AppContext.BaseDirectory}");
    }
}
