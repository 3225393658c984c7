using FoodOrdering;
using FoodOrdering.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.GetInfrastructureMode();
var kafka = builder.AddKafka(ConnectionNames.Kafka, infrastructure);
var smtp = builder.AddSmtp(ConnectionNames.Smtp, infrastructure);
var elasticsearch = builder.AddElasticsearch(ConnectionNames.Elasticsearch, infrastructure); // none in Embedded mode
var operatorKey = builder.AddOperatorKey();

builder.AddProject<Projects.FoodOrdering_Producer>(ResourceNames.Producer)
    .WithKafka(kafka)
    .WithHttpHealthCheck("/health")
    .WithOrderIntakeLinksAndCommands(operatorKey)
    .WithGeneratorDefault(infrastructure);

builder.AddProject<Projects.FoodOrdering_Transactions>(ResourceNames.Transactions)
    .WithKafka(kafka)
    .WithOrderProcessing(kafka)
    .WithElasticsearch(elasticsearch)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.FoodOrdering_Emails>(ResourceNames.Emails)
    .WithKafka(kafka)
    .WithReference(smtp).WaitFor(smtp)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
