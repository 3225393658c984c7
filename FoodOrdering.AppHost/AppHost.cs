using FoodOrdering;
using FoodOrdering.AppHost;

var builder = DistributedApplication.CreateBuilder(args).RestartCrashedServices();

var infrastructure = builder.GetInfrastructureMode();
var kafka = builder.AddKafka(ConnectionNames.Kafka, infrastructure);
var topics = builder.AddTopicProvisioning(ResourceNames.KafkaTopics, kafka); // none for the embedded broker, which starts with them
var smtp = builder.AddSmtp(ConnectionNames.Smtp, infrastructure);
var elasticsearch = builder.AddElasticsearch(ConnectionNames.Elasticsearch, infrastructure); // none in Embedded mode
var redis = builder.AddIdempotencyKeyStore(ConnectionNames.Redis, infrastructure); // none with one in-memory Producer
var operatorKey = builder.AddOperatorKey();

var producer = builder.AddProject<Projects.FoodOrdering_Producer>(ResourceNames.Producer)
    .WithoutDevelopmentCertificate()
    .WithKafka(kafka, topics)
    .WithIdempotencyKeys(redis)
    .WithClientAddresses() // after the replicas, which need Aspire's proxy
    .WithHttpHealthCheck("/health")
    .WithOrderIntakeLinksAndCommands(operatorKey)
    .WithGeneratorDefault(infrastructure)
    .WithSettings(SettingsSections.OrderGenerator, SettingsSections.OrderApi, SettingsSections.Operator, SettingsSections.ForwardedHeaders, SettingsSections.OrderTracking, SettingsSections.Pricing);

var transactions = builder.AddProject<Projects.FoodOrdering_Transactions>(ResourceNames.Transactions)
    .WithoutDevelopmentCertificate()
    .WithKafka(kafka, topics)
    .WithOrderProcessing(kafka)
    .WithElasticsearch(elasticsearch)
    .WithHttpHealthCheck("/health")
    .WithSettings(SettingsSections.OrderProcessing, SettingsSections.Pricing, SettingsSections.Indexer);

var emails = builder.AddProject<Projects.FoodOrdering_Emails>(ResourceNames.Emails)
    .WithoutDevelopmentCertificate()
    .WithKafka(kafka, topics)
    .WithReference(smtp).WaitFor(smtp)
    .WithEmailsReplicas()
    .WithHttpHealthCheck("/health")
    .WithSettings(SettingsSections.Email);

builder.AddProject<Projects.FoodOrdering_Operations>(ResourceNames.Console)
    .WithoutDevelopmentCertificate()
    .WithKafka(kafka, topics)
    .WithOperatorKey(operatorKey)
    .WithClientAddresses()
    .WithHttpHealthCheck("/health")
    .WithConsoleLinks(kafka, producer, transactions, emails)
    .WithLiveAnalytics()
    .WithSettings(SettingsSections.Operations, SettingsSections.Analytics, SettingsSections.ForwardedHeaders);

builder.Build().Run();
