using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.AppHost.Containers;
using FoodOrdering.Embedded;

using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.AppHost;

/// <summary>The AppHost's resource table, built but not started.</summary>
public sealed class AppModelTests
{
    [Fact]
    public async Task EmbeddedModeHostsKafkaAndSmtpInProcessAndTheServicesWaitForThem()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", "Embedded"]);

        var kafka = Assert.IsType<EmbeddedKafkaResource>(Resource(builder, ConnectionNames.Kafka));
        var smtp = Assert.IsType<EmbeddedSmtpResource>(Resource(builder, ConnectionNames.Smtp));
        Assert.Contains(kafka.Annotations, annotation => annotation is HealthCheckAnnotation);
        Assert.Contains(smtp.Annotations, annotation => annotation is HealthCheckAnnotation);
        Assert.Contains(kafka.Annotations, annotation => annotation is ResourceCommandAnnotation { Name: "kafka-topics" });

        Assert.Equal([kafka], WaitsFor(builder, ResourceNames.Producer));
        Assert.Equal([kafka], WaitsFor(builder, ResourceNames.Transactions));
        Assert.Equal<IResource>([kafka, smtp], WaitsFor(builder, ResourceNames.Emails));
        Assert.Equal<IResource>([kafka, smtp], References(builder, ResourceNames.Emails));
        Assert.Equal(
            ["generator-start", "generator-stop", "generator-burst"],
            Resource(builder, ResourceNames.Producer).Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).Where(n => n.StartsWith("generator-", StringComparison.Ordinal)));
        Assert.All(
            new[] { ResourceNames.Producer, ResourceNames.Transactions, ResourceNames.Emails },
            name => Assert.Contains(Resource(builder, name).Annotations, annotation => annotation is HealthCheckAnnotation));
    }

    [Theory]
    [InlineData("Containers")]
    [InlineData("External")]
    public async Task TheTopicsAreMadeByAOneShotStepOnKafkaThatEveryServiceWaitsToComplete(string mode)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
        [
            "--Infrastructure", mode,
            "--ConnectionStrings:kafka", "broker-1.example.net:9092", "--ConnectionStrings:smtp", "Endpoint=smtp://mail.example.net:25",
            "--TopicProvisioning:Partitions", "12", "--TopicProvisioning:ReplicationFactor", "3", "--TopicProvisioning:MinInSyncReplicas", "2",
        ]);

        var kafka = Resource(builder, ConnectionNames.Kafka);
        var topics = Assert.IsType<ProjectResource>(Resource(builder, ResourceNames.KafkaTopics));
        var environment = await Environment(topics);

        Assert.Equal([kafka], References(builder, ResourceNames.KafkaTopics));
        Assert.Equal([kafka], WaitsFor(builder, ResourceNames.KafkaTopics));
        Assert.Equal("12", environment["TopicProvisioning__Partitions"]);
        Assert.Equal("3", environment["TopicProvisioning__ReplicationFactor"]);
        Assert.Equal("2", environment["TopicProvisioning__MinInSyncReplicas"]);
        foreach (var service in new[] { ResourceNames.Producer, ResourceNames.Transactions, ResourceNames.Emails })
        {
            var wait = Assert.Single(Resource(builder, service).Annotations.OfType<WaitAnnotation>(), w => w.Resource == topics);
            Assert.Equal(WaitType.WaitForCompletion, wait.WaitType);
            Assert.DoesNotContain("TopicProvisioning__Partitions", (await Environment(Resource(builder, service))).Keys);
        }
    }

    [Fact]
    public async Task EmbeddedModeHasNoTopicStepBecauseItsBrokerStartsWithTheTopics()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", "Embedded"]);

        Assert.DoesNotContain(builder.Resources, resource => resource.Name == ResourceNames.KafkaTopics);
    }

    [Fact]
    public async Task TransactionsScaleOutToTheConfiguredReplicasAndCommitOffsetsDirectlyOnlyOnTheEmbeddedBroker()
    {
        var embedded = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", "Embedded", "--Transactions:Replicas", "3"]);
        var external = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "External", "--ConnectionStrings:kafka", "broker-1.example.net:9092", "--ConnectionStrings:smtp", "Endpoint=smtp://mail.example.net:25"]);

        var scaledOut = Resource(embedded, ResourceNames.Transactions);
        Assert.Equal(3, scaledOut.Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.Equal("true", (await Environment(scaledOut))["EmbeddedBroker__CommitOffsetsAfterTransaction"]);
        var single = Resource(external, ResourceNames.Transactions);
        Assert.Equal(1, single.Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.DoesNotContain("EmbeddedBroker__CommitOffsetsAfterTransaction", (await Environment(single)).Keys);
    }

    [Fact]
    public async Task ContainersModeRunsRedisForTheProducersIdempotencyKeysAndTheProducerWaitsForIt()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", "Containers"]);

        var redis = Assert.IsType<RedisResource>(Resource(builder, ConnectionNames.Redis));
        Assert.Equal(("library/redis", "8.6"), Image(redis));
        Assert.Contains(redis, References(builder, ResourceNames.Producer));
        Assert.Contains(redis, WaitsFor(builder, ResourceNames.Producer));
        Assert.Contains("ConnectionStrings__redis", (await Environment(Resource(builder, ResourceNames.Producer))).Keys);
    }

    [Fact]
    public async Task EmbeddedModeWithOneProducerKeepsItsKeysInMemory()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", "Embedded"]);

        Assert.DoesNotContain(builder.Resources, resource => resource.Name == ConnectionNames.Redis);
        Assert.DoesNotContain("ConnectionStrings__redis", (await Environment(Resource(builder, ResourceNames.Producer))).Keys);
    }

    [Theory]
    [InlineData("Embedded")]
    [InlineData("External")]
    public async Task ProducerReplicasWithoutRedisStopTheAppHostSayingHowToGiveIt(string mode)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
        [
            "--Infrastructure", mode, "--Producer:Replicas", "2",
            "--ConnectionStrings:kafka", "broker-1.example.net:9092", "--ConnectionStrings:smtp", "Endpoint=smtp://mail.example.net:25",
        ]));

        Assert.Equal(
            "--Producer:Replicas 2 needs Redis, where the replicas share their Idempotency-Keys. Start one (redis-server) and pass --ConnectionStrings:redis localhost:6379, or use --Infrastructure Containers, which starts Redis.",
            error.GetBaseException().Message);
    }

    [Fact]
    public async Task ProducerReplicasShareTheGivenRedisAndEmailsScaleOutToTheirReplicas()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--Producer:Replicas", "2", "--ConnectionStrings:redis", "localhost:6379", "--Emails:Replicas", "2"]);

        var producer = Resource(builder, ResourceNames.Producer);
        var redis = Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, ConnectionNames.Redis));
        Assert.Equal("localhost:6379", await redis.GetConnectionStringAsync());
        Assert.Equal(2, producer.Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.Contains(redis, References(builder, ResourceNames.Producer));
        Assert.Equal("{redis.connectionString}", (await Environment(producer))["ConnectionStrings__redis"]);
        Assert.Equal(2, Resource(builder, ResourceNames.Emails).Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
    }

    [Fact]
    public async Task ServiceSettingsGivenToTheAppHostReachTheServicesThatReadThemAndWinOverTheModesDefaults()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--OrderGenerator:OrdersPerSecond", "5", "--OrderGenerator:Limit", "40",
             "--EmbeddedBroker:CommitOffsetsAfterTransaction", "false", "--Email:MaxRetryDelay", "00:00:03"]);

        var producer = await Environment(Resource(builder, ResourceNames.Producer));
        var transactions = await Environment(Resource(builder, ResourceNames.Transactions));
        var emails = await Environment(Resource(builder, ResourceNames.Emails));

        Assert.Equal("5", producer["OrderGenerator__OrdersPerSecond"]);
        Assert.Equal("40", producer["OrderGenerator__Limit"]);
        Assert.Equal("false", transactions["EmbeddedBroker__CommitOffsetsAfterTransaction"]);
        Assert.Equal("00:00:03", emails["Email__MaxRetryDelay"]);
        Assert.DoesNotContain(producer.Keys, key => key.StartsWith("Email__", StringComparison.Ordinal) || key.StartsWith("OrderProcessing__", StringComparison.Ordinal));
        Assert.DoesNotContain(emails.Keys, key => key.StartsWith("OrderGenerator__", StringComparison.Ordinal));
    }

    /// <summary>
    /// The dashboard's "No trusted development certificate" banner appears when a resource serves https or asks for an
    /// https certificate; nothing here needs one, so a fresh machine without a developer certificate sees no banner.
    /// </summary>
    [Theory]
    [InlineData("Embedded")]
    [InlineData("Containers")]
    public async Task NoResourceNeedsTheDevelopmentCertificate(string mode)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", mode]);

#pragma warning disable ASPIRECERTIFICATES001 // The annotations the dashboard's check reads, as it reads them.
        var usingTls = builder.Resources.Where(resource =>
            resource.Annotations.OfType<EndpointAnnotation>().Any(endpoint => endpoint.UriScheme == "https")
            || (resource.Annotations.OfType<HttpsCertificateConfigurationCallbackAnnotation>().Any()
                && !(resource.TryGetLastAnnotation<HttpsCertificateAnnotation>(out var certificate) && certificate.UseDeveloperCertificate != true && certificate.Certificate is null)));
#pragma warning restore ASPIRECERTIFICATES001

        Assert.Empty(usingTls.Select(resource => resource.Name));
    }

    [Fact]
    public async Task ExternalModeHandsTheConfiguredConnectionStringsToTheServices()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
        [
            "--Infrastructure", "External",
            "--ConnectionStrings:kafka", "broker-1.example.net:9092",
            "--ConnectionStrings:smtp", "Endpoint=smtps://mail.example.net:465",
        ]);

        var kafka = Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, ConnectionNames.Kafka));
        var smtp = Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, ConnectionNames.Smtp));

        Assert.IsNotType<EmbeddedKafkaResource>(kafka);
        Assert.Equal("broker-1.example.net:9092", await kafka.GetConnectionStringAsync());
        Assert.Equal("Endpoint=smtps://mail.example.net:465", await smtp.GetConnectionStringAsync());
        Assert.Equal<IResource>([kafka, Resource(builder, ResourceNames.KafkaTopics), smtp], WaitsFor(builder, ResourceNames.Emails));
        Assert.Equal<IResource>([kafka, smtp], References(builder, ResourceNames.Emails));
    }

    [Fact]
    public async Task ContainersModeRunsKafkaWithKafkaUiAndMailpitWithPinnedImagesAndHealthChecks()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", "Containers"]);

        var kafka = Assert.IsType<KafkaContainerResource>(Resource(builder, ConnectionNames.Kafka));
        var kafkaUi = Assert.IsType<ContainerResource>(Resource(builder, "kafka-ui"));
        var smtp = Assert.IsType<MailpitResource>(Resource(builder, ConnectionNames.Smtp));

        Assert.Equal(("confluentinc/confluent-local", "8.2.0"), Image(kafka));
        Assert.Equal(("kafbat/kafka-ui", "v1.5.0"), Image(kafkaUi));
        Assert.Equal(("axllent/mailpit", "v1.20.4"), Image(smtp));
        Assert.Equal([9092, 9093], kafka.Annotations.OfType<EndpointAnnotation>().Select(e => e.TargetPort ?? 0));
        Assert.Equal(["smtp", "http"], smtp.Annotations.OfType<EndpointAnnotation>().Select(e => e.Name));
        Assert.All(new IResource[] { kafka, kafkaUi, smtp }, resource => Assert.Contains(resource.Annotations, a => a is HealthCheckAnnotation));
        Assert.Equal("{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port}", kafka.ConnectionStringExpression.ValueExpression);
        Assert.Equal("Endpoint=smtp://{smtp.bindings.smtp.host}:{smtp.bindings.smtp.port}", smtp.ConnectionStringExpression.ValueExpression);

        var kafkaEnvironment = await Environment(kafka);
        Assert.Equal("false", kafkaEnvironment["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]);
        Assert.Equal(
            "PLAINTEXT://localhost:29092,PLAINTEXT_HOST://{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port},PLAINTEXT_INTERNAL://{kafka.bindings.internal.host}:{kafka.bindings.internal.port}",
            kafkaEnvironment["KAFKA_ADVERTISED_LISTENERS"]);
        var uiEnvironment = await Environment(kafkaUi);
        Assert.Equal("{kafka.bindings.internal.host}:{kafka.bindings.internal.port}", uiEnvironment["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"]);
        Assert.Equal([kafka], WaitsFor(builder, "kafka-ui"));
        Assert.Equal(WaitType.WaitUntilStarted, Resource(builder, "kafka-ui").Annotations.OfType<WaitAnnotation>().Single().WaitType);

        Assert.Equal<IResource>([kafka, Resource(builder, ResourceNames.KafkaTopics)], WaitsFor(builder, ResourceNames.Transactions));
        Assert.Equal<IResource>([kafka, Resource(builder, ResourceNames.KafkaTopics), smtp], WaitsFor(builder, ResourceNames.Emails));
        Assert.Equal<IResource>([kafka, smtp], References(builder, ResourceNames.Emails));
    }

    [Fact]
    public async Task ExternalModeHandsManagedKafkaSecurityToEveryServiceWithThePasswordAsASecretParameter()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
        [
            "--Infrastructure", "External",
            "--ConnectionStrings:kafka", "pkc-1.example.cloud:9092",
            "--ConnectionStrings:smtp", "Endpoint=smtp://mail.example.net:587",
            "--External:Kafka:SecurityProtocol", "SASL_SSL",
            "--External:Kafka:SaslMechanism", "PLAIN",
            "--External:Kafka:SaslUsername", "api-key-1",
            "--Parameters:kafka-password", "not-a-real-secret",
        ]);

        var password = Assert.IsType<ParameterResource>(Resource(builder, "kafka-password"));
        Assert.True(password.Secret);
        foreach (var service in new[] { ResourceNames.KafkaTopics, ResourceNames.Producer, ResourceNames.Transactions, ResourceNames.Emails })
        {
            var environment = await Environment(Resource(builder, service));
            foreach (var client in new[] { "Producer", "Consumer" })
            {
                var prefix = $"Aspire__Confluent__Kafka__{client}__Config__";
                Assert.Equal("SaslSsl", environment[prefix + "SecurityProtocol"]);
                Assert.Equal("Plain", environment[prefix + "SaslMechanism"]);
                Assert.Equal("api-key-1", environment[prefix + "SaslUsername"]);
                Assert.Equal("{kafka-password.value}", environment[prefix + "SaslPassword"]);
            }
        }
    }

    [Theory]
    [InlineData("Containers", "{kibana.bindings.http.url}" + KibanaSavedObjects.DashboardPath)]
    [InlineData("Embedded", null)]
    public async Task TheConsolesLiveAnalyticsLinkKibanasDashboardWhereKibanaRuns(string mode, string? kibanaDashboard)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", mode]);

        var environment = await Environment(Resource(builder, ResourceNames.Console));

        Assert.Equal(kibanaDashboard, environment.GetValueOrDefault("Analytics__KibanaDashboardUrl"));
    }

    [Fact]
    public async Task ContainersModeRunsSecuredElasticsearchAndKibanaWithTheDashboardLinkedAndHandsElasticsearchToTransactions()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", "Containers"]);

        var elasticsearch = Assert.IsType<ElasticsearchResource>(Resource(builder, ConnectionNames.Elasticsearch));
        var kibana = Assert.IsType<KibanaResource>(Resource(builder, "kibana"));
        var password = Assert.IsType<ParameterResource>(Resource(builder, "elasticsearch-password"));
        var kibanaPassword = Assert.IsType<ParameterResource>(Resource(builder, "kibana-system-password"));

        Assert.True(password.Secret);
        Assert.True(kibanaPassword.Secret);
        Assert.Same(password, elasticsearch.PasswordParameter);
        Assert.Equal(("elasticsearch/elasticsearch", "9.5.3"), Image(elasticsearch));
        Assert.Equal(("kibana/kibana", "9.5.3"), Image(kibana));
        Assert.All(new IResource[] { elasticsearch, kibana }, resource =>
            Assert.Equal("docker.elastic.co", resource.Annotations.OfType<ContainerImageAnnotation>().Single().Registry));
        Assert.Equal([9200, 9300], elasticsearch.Annotations.OfType<EndpointAnnotation>().Select(e => e.TargetPort ?? 0));
        Assert.Equal("http://elastic:{elasticsearch-password.value}@{elasticsearch.bindings.http.host}:{elasticsearch.bindings.http.port}",
            elasticsearch.ConnectionStringExpression.ValueExpression);
        Assert.All(new IResource[] { elasticsearch, kibana }, resource => Assert.Contains(resource.Annotations, a => a is HealthCheckAnnotation));

        var elasticsearchEnvironment = await Environment(elasticsearch);
        Assert.Equal("single-node", elasticsearchEnvironment["discovery.type"]);
        Assert.Equal("true", elasticsearchEnvironment["xpack.security.enabled"]);
        Assert.Equal("{elasticsearch-password.value}", elasticsearchEnvironment["ELASTIC_PASSWORD"]);
        Assert.Equal("-Xms512m -Xmx512m", elasticsearchEnvironment["ES_JAVA_OPTS"]);
        var kibanaEnvironment = await Environment(kibana);
        Assert.Equal("{elasticsearch.bindings.http.url}", kibanaEnvironment["ELASTICSEARCH_HOSTS"]);
        Assert.Equal("kibana_system", kibanaEnvironment["ELASTICSEARCH_USERNAME"]);
        Assert.Equal("{kibana-system-password.value}", kibanaEnvironment["ELASTICSEARCH_PASSWORD"]);
        // The kibana_system password is the one-shot step's, set before Kibana starts.
        var passwordStep = Assert.IsType<ContainerResource>(Resource(builder, "kibana-password"));
        Assert.Equal(("elasticsearch/elasticsearch", "9.5.3"), Image(passwordStep));
        var passwordStepEnvironment = await Environment(passwordStep);
        Assert.Equal("{elasticsearch.bindings.http.url}", passwordStepEnvironment[KibanaPasswordStep.ElasticsearchUrlVariable]);
        Assert.Equal("{elasticsearch-password.value}", passwordStepEnvironment[KibanaPasswordStep.ElasticPasswordVariable]);
        Assert.Equal("{kibana-system-password.value}", passwordStepEnvironment[KibanaPasswordStep.SystemPasswordVariable]);
        Assert.Equal([elasticsearch], WaitsFor(builder, "kibana-password"));
        Assert.Equal([elasticsearch, passwordStep], WaitsFor(builder, "kibana"));
        var urls = new List<ResourceUrlAnnotation>();
        var urlsContext = new ResourceUrlsCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), kibana, urls);
        foreach (var callback in kibana.Annotations.OfType<ResourceUrlsCallbackAnnotation>())
        {
            await callback.Callback(urlsContext);
        }

        Assert.Contains(urls, url => url.DisplayText == "Analytics dashboard" && url.Url == "/app/dashboards#/view/food-ordering-analytics");

        Assert.Equal<IResource>([kafka(builder), elasticsearch], References(builder, ResourceNames.Transactions));
        // Pricing must not wait for Elasticsearch: only Kafka and its topics hold Transactions back.
        Assert.Equal([kafka(builder), Resource(builder, ResourceNames.KafkaTopics)], WaitsFor(builder, ResourceNames.Transactions));
        Assert.DoesNotContain(elasticsearch, References(builder, ResourceNames.Emails));

        static IResource kafka(IDistributedApplicationTestingBuilder builder) => Resource(builder, ConnectionNames.Kafka);
    }

    [Fact]
    public async Task ExternalModeHandsTheConfiguredElasticsearchToTransactions()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
        [
            "--Infrastructure", "External",
            "--ConnectionStrings:kafka", "broker-1.example.net:9092",
            "--ConnectionStrings:smtp", "Endpoint=smtps://mail.example.net:465",
            "--ConnectionStrings:elasticsearch", "Endpoint=https://analytics.es.example.cloud:443;ApiKey=bm90LWEtcmVhbC1rZXk=",
        ]);

        var elasticsearch = Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, ConnectionNames.Elasticsearch));

        Assert.IsNotType<ElasticsearchResource>(elasticsearch);
        Assert.Equal("Endpoint=https://analytics.es.example.cloud:443;ApiKey=bm90LWEtcmVhbC1rZXk=", await elasticsearch.GetConnectionStringAsync());
        Assert.Contains(elasticsearch, References(builder, ResourceNames.Transactions));
        Assert.DoesNotContain(builder.Resources, resource => resource.Name == "kibana");
    }

    [Fact]
    public async Task EmbeddedModeHasNoElasticsearchAndSaysWhyInTheDashboard()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", "Embedded"]);

        var notice = Resource(builder, ConnectionNames.Elasticsearch);
        var snapshot = notice.Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot;

        Assert.IsNotAssignableFrom<IResourceWithConnectionString>(notice);
        Assert.Equal("Needs Docker", snapshot.State?.Text);
        Assert.InRange(snapshot.State!.Text.Length, 1, ElasticsearchNotice.StateLengthShownWhole);
        Assert.Contains("--Infrastructure Containers", Assert.Single(snapshot.Properties, p => p.Name == "Why").Value?.ToString());
        Assert.DoesNotContain(notice, References(builder, ResourceNames.Transactions));
        Assert.DoesNotContain(builder.Resources, resource => resource.Name == "kibana" || resource.Name == "elasticsearch-password");
    }

    [Fact]
    public async Task ExternalModeWithoutAnElasticsearchConnectionStringRunsWithoutAnalyticsAndSaysSo()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
        [
            "--Infrastructure", "External",
            "--ConnectionStrings:kafka", "broker-1.example.net:9092",
            "--ConnectionStrings:smtp", "Endpoint=smtps://mail.example.net:465",
        ]);

        var notice = Resource(builder, ConnectionNames.Elasticsearch);

        var snapshot = notice.Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot;

        Assert.IsNotAssignableFrom<IResourceWithConnectionString>(notice);
        Assert.Equal("Not set", snapshot.State?.Text);
        Assert.InRange(snapshot.State!.Text.Length, 1, ElasticsearchNotice.StateLengthShownWhole);
        Assert.Contains("ConnectionStrings:elasticsearch", snapshot.Properties.Single(p => p.Name == "Why").Value?.ToString());
        Assert.Equal([Resource(builder, ConnectionNames.Kafka)], References(builder, ResourceNames.Transactions));
    }

    [Theory]
    [InlineData("Embedded", null)]
    [InlineData("Containers", null)]
    [InlineData("External", "false")]
    public async Task TheProducerGetsTheOperatorKeyAsASecretParameterAndExternalModeStartsTheGeneratorOff(string mode, string? generatorEnabled)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
        [
            "--Infrastructure", mode,
            "--ConnectionStrings:kafka", "broker-1.example.net:9092",
            "--ConnectionStrings:smtp", "Endpoint=smtps://mail.example.net:465",
        ]);

        var key = Assert.IsType<ParameterResource>(Resource(builder, ProducerResourceExtensions.OperatorKeyParameter));
        var environment = await Environment(Resource(builder, ResourceNames.Producer));

        Assert.True(key.Secret);
        Assert.Equal($"{{{ProducerResourceExtensions.OperatorKeyParameter}.value}}", environment["Operator__ApiKey"]);
        Assert.Equal(generatorEnabled, environment.GetValueOrDefault("OrderGenerator__Enabled"));
    }

    [Theory]
    [InlineData("Embedded")]
    [InlineData("External")]
    public async Task TheConsoleReadsKafkaWithTheOperatorKeyAndIsLinkedFromKafkaAndEveryService(string mode)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
        [
            "--Infrastructure", mode,
            "--ConnectionStrings:kafka", "broker-1.example.net:9092",
            "--ConnectionStrings:smtp", "Endpoint=smtps://mail.example.net:465",
        ]);

        var console = Assert.IsType<ProjectResource>(Resource(builder, ResourceNames.Console));
        var kafka = Resource(builder, ConnectionNames.Kafka);
        var environment = await Environment(console);

        Assert.Contains(kafka, References(builder, ResourceNames.Console));
        Assert.Contains(kafka, WaitsFor(builder, ResourceNames.Console));
        Assert.Equal($"{{{ProducerResourceExtensions.OperatorKeyParameter}.value}}", environment["Operator__ApiKey"]);
        Assert.Contains(console.Annotations, annotation => annotation is HealthCheckAnnotation);
        Assert.Equal(mode == "Embedded", environment.ContainsKey("Operations__ListConsumerGroups"));
        Assert.All(
            new[] { ConnectionNames.Kafka, ResourceNames.Producer, ResourceNames.Transactions, ResourceNames.Emails },
            name => Assert.Contains(Resource(builder, name).Annotations, annotation => annotation is ResourceUrlsCallbackAnnotation));
    }

    [Theory]
    [InlineData("Cloud", "'Cloud' is not one of Embedded, Containers, External")]
    public async Task AnUnknownModeStopsTheAppHostWithAClearMessage(string mode, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", mode]));

        Assert.Contains(message, error.GetBaseException().Message);
    }

    private static (string?, string?) Image(IResource resource) =>
        resource.Annotations.OfType<ContainerImageAnnotation>().Select(image => (image.Image, image.Tag)).Single();

    private static Task<Dictionary<string, string>> Environment(IResource resource) => ManifestEnvironment.OfAsync(resource);

    private static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.Single(resource => resource.Name == name);

    private static IResource[] References(IDistributedApplicationTestingBuilder builder, string name) =>
        [.. Resource(builder, name).Annotations.OfType<ResourceRelationshipAnnotation>().Where(r => r.Type == "Reference").Select(r => r.Resource)];

    private static IResource[] WaitsFor(IDistributedApplicationTestingBuilder builder, string name) =>
        [.. Resource(builder, name).Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource)];
}
