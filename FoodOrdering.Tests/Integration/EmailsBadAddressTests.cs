using System.Diagnostics;
using FoodOrdering.Contracts;
using FoodOrdering.Emails;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// One bad address among a thousand orders stops nobody's email: the 999 others go out within a minute, and the bad one
/// is on <c>emails.failed</c> with why (the server's reply, masked).
/// </summary>
public sealed class EmailsBadAddressTests
{
    private const int Orders = 1000;
    private const int Bad = 617;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task AnOrderWhoseAddressTheServerRefusesWithA502AmongAThousandIsFailedAndTheOthersAreEmailedWithinAMinute()
    {
        // Arrange: an address the order API took, which the server answers at RCPT TO as it answered jane@-example.com.
        const string refused = "jane@refused-by-server.example";
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var server = ScriptedSmtpStandIn.Start();
        server.Reply = (at, argument) => at == SmtpStep.RcptTo && argument == refused ? $"502 5.5.2 <{refused}>: Error: command not recognized" : null;
        await pipeline.StartTransactionsAsync();
        var emails = await pipeline.StartEmailsAsync(new() { [$"ConnectionStrings:{ConnectionNames.Smtp}"] = server.ConnectionString });
        var orders = Enumerable.Range(0, Orders).Select(i => InProcessPipeline.NewOrder(i == Bad ? refused : $"customer{i}@example.com")).ToList();

        // Act
        var clock = Stopwatch.StartNew();
        await pipeline.PublishAsync(orders);
        await Eventually.WaitUntilAsync(
            () => server.Messages.Count >= Orders - 1 && TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed).Count > 0,
            Minute, () => $"{server.Messages.Count} of {Orders - 1} emailed after {clock.Elapsed}; the bad one in emails.failed or not");

        // Assert
        var failure = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed, ContractsJsonContext.Default.EmailFailed));
        Assert.Equal((orders[Bad].OrderId, EmailFailureReasons.Rejected, 502), (failure.OrderId, failure.Reason, failure.SmtpStatusCode));
        Assert.Contains("502", failure.Message);
        Assert.Contains("j***@refused-by-server.example", failure.Message);
        Assert.DoesNotContain(refused, failure.Message);
        Assert.Equal(Orders - 1, server.MessageIds().Distinct().Count());
        var health = await SmtpRefusalTests.WaitForSmtpHealthAsync(emails, HealthStatus.Healthy);
        Assert.Contains("1 message refused, 0 server errors", health.Description);
    }

    [Theory]
    [InlineData("")]
    [InlineData("jane@-example.com")]
    [InlineData("jane@exa_mple.com")]
    [InlineData("jane@exa$mple.com")]
    public async Task AConfirmationOnTheTopicWithAnAddressNoServerTakesIsFailedAndTheOtherThousandLessOneAreEmailedWithinAMinute(string email)
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var server = ScriptedSmtpStandIn.Start();
        await pipeline.StartEmailsAsync(new() { [$"ConnectionStrings:{ConnectionNames.Smtp}"] = server.ConnectionString });
        var orders = Enumerable.Range(0, Orders).Select(i => InProcessPipeline.NewConfirmedOrder(i == Bad ? email : $"customer{i}@example.com")).ToList();

        var clock = Stopwatch.StartNew();
        await pipeline.PublishConfirmedAsync(orders);
        await Eventually.WaitUntilAsync(
            () => server.Messages.Count >= Orders - 1 && TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed).Count > 0,
            Minute, () => $"{server.Messages.Count} of {Orders - 1} emailed after {clock.Elapsed}; the bad one in emails.failed or not");

        var failure = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed, ContractsJsonContext.Default.EmailFailed));
        Assert.Equal((orders[Bad].OrderId, EmailFailureReasons.InvalidAddress), (failure.OrderId, failure.Reason));
        Assert.Equal(EmailAddressRule.Problem(email), failure.Message);
        Assert.Equal(Orders - 1, server.MessageIds().Distinct().Count());
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersConfirmed)));
    }
}
