using FoodOrdering.Contracts;
using FoodOrdering.Emails;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// The Emails service against a scripted SMTP stand-in that takes no email at all, refusing at one step or another:
/// nothing goes to <c>emails.failed</c>, readiness says why, and every email goes out once the server takes them.
/// </summary>
public sealed class SmtpServerRefusalTests
{
    [Theory]
    [InlineData(SmtpStep.Greeting, "554 5.3.2 No SMTP service here")]
    [InlineData(SmtpStep.Auth, "535 5.7.8 Authentication credentials invalid")]
    [InlineData(SmtpStep.MailFrom, "530 5.7.0 Authentication required")]
    [InlineData(SmtpStep.MailFrom, "550 5.7.1 Sender address rejected: not owned by user")]
    [InlineData(SmtpStep.RcptTo, "554 5.7.1 <{0}>: Relay access denied")]
    [InlineData(SmtpStep.RcptTo, "550 5.7.1 Unable to relay")]
    [InlineData(SmtpStep.RcptTo, "421 4.7.0 Too many errors, closing connection")]
    [InlineData(SmtpStep.EndOfData, "451 4.3.0 Queue file write error")]
    public async Task AServerThatTakesNoEmailFailsNoneAndSendsEveryOneOnceItTakesThemAgain(SmtpStep step, string reply)
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var server = ScriptedSmtpStandIn.Start(offersAuthentication: step == SmtpStep.Auth);
        server.Reply = (at, argument) => at == step ? string.Format(System.Globalization.CultureInfo.InvariantCulture, reply, argument) : null;
        var settings = new Dictionary<string, string?>(SmtpRefusalTests.QuickReplays)
        {
            [$"ConnectionStrings:{ConnectionNames.Smtp}"] = server.ConnectionString + (step == SmtpStep.Auth ? ";Username=shop;Password=stand-in" : ""),
            // The stand-in has no TLS; credentials over plain text are this test's explicit choice.
            ["Email:AllowCredentialsWithoutTls"] = "true",
        };
        var emails = await pipeline.StartEmailsAsync(settings);
        var orders = Enumerable.Range(0, 6).Select(i => InProcessPipeline.NewConfirmedOrder($"customer{i}@example.com")).ToList();

        await pipeline.PublishConfirmedAsync(orders);
        await Eventually.WaitUntilAsync(() => server.Refusals >= 6, SmtpRefusalTests.Timeout, () => $"{server.Refusals} refusals so far");
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed));
        Assert.Empty(server.Messages);
        await SmtpRefusalTests.WaitForSmtpHealthAsync(emails, HealthStatus.Unhealthy);

        server.Reply = null;
        await Eventually.WaitUntilAsync(() => server.Messages.Count >= orders.Count, SmtpRefusalTests.Timeout,
            () => $"{server.Messages.Count} of {orders.Count} emails sent after the server recovered");
        await SmtpRefusalTests.WaitForSmtpHealthAsync(emails, HealthStatus.Healthy);

        Assert.Equal(orders.Select(order => ConfirmationEmail.MessageIdFor(order.OrderId, "foodordering.example")).Order(), server.MessageIds().Order());
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed));
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersConfirmed)));
    }
}
