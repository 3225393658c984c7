using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.AppHost.Embedded;

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
        Assert.Equal<IResource>([kafka, smtp], WaitsFor(builder, ResourceNames.Emails));
        Assert.Equal<IResource>([kafka, smtp], References(builder, ResourceNames.Emails));
    }

    [Theory]
    [InlineData("Containers", "Containers mode is not available yet")]
    [InlineData("Cloud", "'Cloud' is not one of Embedded, Containers, External")]
    public async Task AModeThatCannotRunStopsTheAppHostWithAClearMessage(string mode, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--Infrastructure", mode]));

        Assert.Contains(message, error.GetBaseException().Message);
    }

    private static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.Single(resource => resource.Name == name);

    private static IResource[] References(IDistributedApplicationTestingBuilder builder, string name) =>
        [.. Resource(builder, name).Annotations.OfType<ResourceRelationshipAnnotation>().Where(r => r.Type == "Reference").Select(r => r.Resource)];

    private static IResource[] WaitsFor(IDistributedApplicationTestingBuilder builder, string name) =>
        [.. Resource(builder, name).Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource)];
}
