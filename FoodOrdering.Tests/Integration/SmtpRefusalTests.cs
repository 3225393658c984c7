using System.Collections.Concurrent;
using System.Diagnostics;
using FoodOrdering.Contracts;
using FoodOrdering.Emails;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// The Emails service against a scripted SMTP stand-in that refuses at a chosen step: only a refusal of the email
/// itself sends it to <c>emails.failed</c> (a server that takes no email at all: <see cref="SmtpServerRefusalTests"/>).
/// </summary>
public sealed class SmtpRefusalTests
{
    internal static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    internal static readonly Dictionary<string, string?> QuickReplays = new() { ["Email:MaxRetryDelay"] = "00:00:00.300" };

    [Theory]
    [InlineData(SmtpStep.RcptTo, "550 5.1.1 <{0}>: Recipient address rejected: User unknown in virtual mailbox table", EmailFailureReasons.Rejected, 550)]
    [InlineData(SmtpStep.EndOfData, "554 5.7.1 Message rejected as spam", EmailFailureReasons.MessageRejected, 554)]
    public async Task AnEmailRefusedForItselfGoesToEmailsFailedWithTheReasonAndTheOthersAreSent(SmtpStep step, string reply, string reason, int statusCode)
    {
        const string refusedAddress = "nobody@example.com";
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var server = ScriptedSmtpStandIn.Start();
        server.Reply = Refusing(step, reply, refusedAddress);
        var emails = await pipeline.StartEmailsAsync(new(QuickReplays) { [$"ConnectionStrings:{ConnectionNames.Smtp}"] = server.ConnectionString });
        var refused = InProcessPipeline.NewConfirmedOrder(refusedAddress);
        var fine = Enumerable.Range(0, 4).Select(i => InProcessPipeline.NewConfirmedOrder($"customer{i}@example.com")).ToList();

        await pipeline.PublishConfirmedAsync([refused, .. fine]);
        await Eventually.WaitUntilAsync(
            () => server.Messages.Count >= fine.Count && TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed).Count > 0,
            Timeout, () => $"{server.Messages.Count} of {fine.Count} emails sent; the refused one in emails.failed or not");

        var failure = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed, ContractsJsonContext.Default.EmailFailed));
        Assert.Equal((refused.OrderId, refusedAddress, reason, statusCode), (failure.OrderId, failure.Recipient, failure.Reason, failure.SmtpStatusCode));
        Assert.Contains(reply.Split(' ')[1], failure.Message);
        Assert.DoesNotContain(refusedAddress, failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(fine.Select(order => ConfirmationEmail.MessageIdFor(order.OrderId, "foodordering.example")).Order(), server.MessageIds().Order());
        await WaitForSmtpHealthAsync(emails, HealthStatus.Healthy);
    }

    [Theory]
    [InlineData(SmtpStep.RcptTo, "502 5.5.2 Error: command not recognized", EmailFailureReasons.Rejected, 502)]
    [InlineData(SmtpStep.RcptTo, "599 <{0}> ¯\\_(ツ)_/¯ no idea", EmailFailureReasons.Rejected, 599)]
    [InlineData(SmtpStep.RcptTo, "554 5.7.1 <{0}>: Relay access denied", EmailFailureReasons.Rejected, 554)]
    [InlineData(SmtpStep.RcptTo, "450 4.2.0 <{0}>: still greylisted", EmailFailureReasons.Rejected, 450)]
    [InlineData(SmtpStep.EndOfData, "451 4.3.0 Error: queue file write error for {0}", EmailFailureReasons.MessageRejected, 451)]
    [InlineData(SmtpStep.EndOfData, "500 something odd happened", EmailFailureReasons.MessageRejected, 500)]
    public async Task OneEmailAmong64RefusedEveryTimeInAWayNeverSeenIsRecordedAsFailedWithTheMaskedReplyAndThe63OthersAreSent(
        SmtpStep step, string reply, string reason, int statusCode)
    {
        // Arrange
        const string refusedAddress = "jane@refusing.example";
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var server = ScriptedSmtpStandIn.Start();
        server.Reply = Refusing(step, reply, refusedAddress);
        var emails = await pipeline.StartEmailsAsync(new(QuickReplays) { [$"ConnectionStrings:{ConnectionNames.Smtp}"] = server.ConnectionString });
        var orders = Enumerable.Range(0, 64).Select(i => InProcessPipeline.NewConfirmedOrder(i == 23 ? refusedAddress : $"customer{i}@example.com")).ToList();

        // Act
        await pipeline.PublishConfirmedAsync(orders);
        await Eventually.WaitUntilAsync(
            () => server.Messages.Count >= 63 && TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed).Count > 0,
            Timeout, () => $"{server.Messages.Count} of 63 emails sent; the refused one in emails.failed or not");

        // Assert
        var failure = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed, ContractsJsonContext.Default.EmailFailed));
        Assert.Equal((orders[23].OrderId, reason, statusCode), (failure.OrderId, failure.Reason, failure.SmtpStatusCode));
        Assert.Contains(reply.Split(' ')[0], failure.Message);
        Assert.DoesNotContain(refusedAddress, failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(orders.Where((_, i) => i != 23).Select(order => ConfirmationEmail.MessageIdFor(order.OrderId, "foodordering.example")).Order(), server.MessageIds().Order());
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersConfirmed)));
        var health = await WaitForSmtpHealthAsync(emails, HealthStatus.Healthy);
        Assert.Equal("The SMTP server takes emails (1 message refused, 0 server errors)", health.Description);
    }

    [Fact]
    public async Task AnAddressInAServerReplyReachesNoLogRecordAndNoSpan()
    {
        var greylisted = $"ada.{Guid.NewGuid():N}@example.com";
        var unknown = $"bob.{Guid.NewGuid():N}@example.com";
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "FoodOrdering.Emails" or "MailKit.Net.SmtpClient" or KafkaTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var server = ScriptedSmtpStandIn.Start();
        var greylistings = 0;
        server.Reply = (at, argument) => (at, argument) switch
        {
            (SmtpStep.RcptTo, var address) when address == greylisted && Interlocked.Increment(ref greylistings) <= 3 =>
                $"450 4.2.1 <{address}>: Recipient address rejected: greylisted, try again later",
            (SmtpStep.RcptTo, var address) when address == unknown => $"550 5.1.1 <{address}>: Recipient address rejected: User unknown",
            _ => null,
        };
        var emails = await pipeline.StartEmailsAsync(
            new(QuickReplays) { [$"ConnectionStrings:{ConnectionNames.Smtp}"] = server.ConnectionString }, minimumLogLevel: LogLevel.Trace);

        await pipeline.PublishConfirmedAsync([InProcessPipeline.NewConfirmedOrder(greylisted), InProcessPipeline.NewConfirmedOrder(unknown)]);
        await Eventually.WaitUntilAsync(
            () => server.Messages.Count == 1 && TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed).Count == 1,
            Timeout, () => $"{server.Messages.Count} of 1 email sent, the unknown recipient in emails.failed or not");
        await Eventually.WaitUntilAsync(() => spans.Count(span => span.DisplayName == "smtp send") >= 5, Timeout, () => "the sends' spans did not end");

        var logs = emails.Services.GetFakeLogCollector().GetSnapshot().Select(Text).ToList();
        var traces = spans.Select(Text).ToList();
        Assert.Contains(logs, text => text.Contains("a***@example.com", StringComparison.Ordinal));
        Assert.Contains(traces, text => text.Contains("b***@example.com", StringComparison.Ordinal));
        foreach (var address in new[] { greylisted, unknown })
        {
            Assert.DoesNotContain(logs, text => text.Contains(address, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(traces, text => text.Contains(address, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task CredentialsGoOnlyOverTlsUnlessThatIsExplicitlyWaived()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var server = ScriptedSmtpStandIn.Start(offersAuthentication: true);
        var settings = new Dictionary<string, string?>(QuickReplays)
        {
            [$"ConnectionStrings:{ConnectionNames.Smtp}"] = server.ConnectionString + ";Username=shop;Password=stand-in",
        };
        var orders = Enumerable.Range(0, 2).Select(i => InProcessPipeline.NewConfirmedOrder($"customer{i}@example.com")).ToList();
        await pipeline.PublishConfirmedAsync(orders);

        var requiringTls = await pipeline.StartEmailsAsync(settings);
        await Eventually.WaitUntilAsync(() => server.SessionsOpened >= 4 || server.Authentications > 0, Timeout, () => $"{server.SessionsOpened} connections so far");
        Assert.Equal(0, server.Authentications);
        await WaitForSmtpHealthAsync(requiringTls, HealthStatus.Unhealthy);
        await requiringTls.StopAsync();
        Assert.Empty(server.Messages);
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed));

        // A group of its own reads the orders from the start without waiting for the first group's session to expire.
        await pipeline.StartEmailsAsync(new(settings)
        {
            ["Email:AllowCredentialsWithoutTls"] = "true",
            [$"Aspire:Confluent:Kafka:Consumer:{ConsumerGroups.Emails}:Config:GroupId"] = "emails-waiving-tls",
        });
        await Eventually.WaitUntilAsync(() => server.Messages.Count >= orders.Count, Timeout,
            () => $"{server.Messages.Count} of {orders.Count} emails sent with the waiver");
        Assert.InRange(server.Authentications, 1, new EmailOptions().SmtpConnections);
    }

    private static string Text(FakeLogRecord record) => string.Join(" | ",
        new[] { record.Message, record.Exception?.ToString() }
            .Concat(record.StructuredState?.Select(pair => $"{pair.Key}={pair.Value}") ?? [])
            .Concat(record.Scopes.Select(scope => scope?.ToString())));

    private static string Text(Activity span) => string.Join(" | ",
        new[] { span.DisplayName, span.StatusDescription }
            .Concat(span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(tag => $"{e.Name}.{tag.Key}={tag.Value}"))));

    /// <summary>Replies at <paramref name="step"/> with <paramref name="reply"/> (<c>{0}</c> is the address) to the one address.</summary>
    private static Func<SmtpStep, string, string?> Refusing(SmtpStep step, string reply, string address) =>
        (at, argument) => at == step && argument.Contains(address, StringComparison.Ordinal)
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, reply, address)
            : null;

    internal static async Task<HealthReportEntry> WaitForSmtpHealthAsync(IHost emails, HealthStatus status)
    {
        var health = emails.Services.GetRequiredService<HealthCheckService>();
        HealthReport? report = null;
        await Eventually.WaitUntilAsync(
            () => (report = health.CheckHealthAsync(check => check.Name == ConnectionNames.Smtp).GetAwaiter().GetResult()) is { Entries.Count: 1 } && report.Status == status,
            Timeout,
            () => $"the smtp health entry is {(report?.Entries.TryGetValue(ConnectionNames.Smtp, out var entry) == true ? $"{entry.Status}: {entry.Description}" : "missing")}");
        return report!.Entries[ConnectionNames.Smtp];
    }
}
