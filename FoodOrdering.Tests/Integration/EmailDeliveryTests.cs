using FoodOrdering.Contracts;
using FoodOrdering.Emails;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FoodOrdering.Tests.Integration;

public sealed class EmailDeliveryTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task ARealSmtpConversationDeliversAMultipartMessageWithItsHeaders()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var order = new OrderConfirmed(Guid.NewGuid(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            new Customer("c", "Grace Hopper", "grace@example.com"), [new PricedLine("fries", "French Fries", 3, 3.20m, 9.60m)],
            9.60m, 2.50m, 0.97m, 13.07m, "USD", "1 Navy Yard");
        var email = new ConfirmationEmail(Options.Create(new EmailOptions()));
        await using var sender = new SmtpEmailSender(SmtpConnection.Parse(pipeline.Smtp.ConnectionString, "smtp"), new EmailMetrics(new NoMeterFactory()));

        var second = order with { OrderId = Guid.NewGuid() };
        await sender.SendAsync(email.Create(order), order.OrderId, CancellationToken.None);
        await sender.SendAsync(email.Create(second), second.OrderId, CancellationToken.None);

        var received = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path)).ToList();
        Assert.Equal(2, received.Count);
        var delivered = Assert.Single(received, message => message.MessageId == ConfirmationEmail.MessageIdFor(order.OrderId, "foodordering.example"));
        Assert.Equal("grace@example.com", Assert.Single(delivered.To.Mailboxes).Address);
        Assert.Equal("orders@foodordering.example", Assert.Single(delivered.From.Mailboxes).Address);
        Assert.Equal($"Your FoodOrdering order {order.OrderId} is confirmed", delivered.Subject);
        var parts = Assert.IsType<MultipartAlternative>(delivered.Body);
        Assert.Equal(["text/plain", "text/html"], parts.Select(part => part.ContentType.MimeType));
        Assert.Contains("13.07 USD", delivered.TextBody);
        Assert.Contains("13.07 USD", delivered.HtmlBody);
    }

    [Fact]
    public async Task ManyOrdersGoOutOverAFewReusedConnectionsInParallel()
    {
        const int orders = 200;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        // The sink's own readiness probe opened a session already.
        var sessionsBefore = pipeline.Smtp.SessionsOpened;

        await pipeline.PublishAsync(Enumerable.Range(0, orders).Select(_ => InProcessPipeline.NewOrder()).ToList());

        await WaitForEmailsAsync(pipeline, orders);
        var messageIds = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path).MessageId).ToList();
        Assert.Equal(orders, messageIds.Distinct().Count());
        Assert.Equal(orders, messageIds.Count);
        // The default pool: more than one connection is used, and none is opened per email.
        Assert.InRange(pipeline.Smtp.SessionsOpened - sessionsBefore, 2, new EmailOptions().SmtpConnections);
    }

    [Fact]
    public async Task AnSmtpOutageMidStreamDelaysEmailsButEveryOrderGetsExactlyOne()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var bootstrap = pipeline.Kafka.BootstrapServers;
        await pipeline.StartTransactionsAsync();
        var emails = await pipeline.StartEmailsAsync();
        var before = Enumerable.Range(0, 10).Select(_ => InProcessPipeline.NewOrder()).ToList();
        var during = Enumerable.Range(0, 20).Select(_ => InProcessPipeline.NewOrder()).ToList();
        await pipeline.PublishAsync(before);
        await WaitForEmailsAsync(pipeline, 10);
        // Committed past the first ten, so every batch tried from here on holds only orders confirmed during the outage.
        await ConsumerGroupOffsets.WaitUntilPastAsync(bootstrap, ConsumerGroups.Emails, TopicReader.ReadAll(bootstrap, Topics.OrdersConfirmed), Timeout);

        await pipeline.StopSmtpAsync();
        var replaysBefore = Replays(emails);
        await pipeline.PublishAsync(during);
        // The outage's orders are confirmed and a batch of them was tried and failed: the service had them to send.
        await Eventually.WaitUntilAsync(
            () => TopicReader.ReadAll(bootstrap, Topics.OrdersConfirmed).Count == 30 && Replays(emails) > replaysBefore, Timeout,
            () => $"{TopicReader.ReadAll(bootstrap, Topics.OrdersConfirmed).Count} of 30 confirmed, {Replays(emails) - replaysBefore} failed batches replayed{Environment.NewLine}{pipeline.RecentLogs()}");
        var duringOutage = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length;
        await pipeline.StartSmtpAsync();

        await WaitForEmailsAsync(pipeline, 30);
        var messageIds = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path).MessageId).ToList();
        Assert.Equal(10, duringOutage);
        Assert.Equal(30, messageIds.Count);
        Assert.Equal(
            before.Concat(during).Select(order => ConfirmationEmail.MessageIdFor(order.OrderId, "foodordering.example")).Order(),
            messageIds.Order());
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed));
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersConfirmed)));
    }

    [Fact]
    public async Task APermanentlyRefusedRecipientGoesToEmailsFailedAndTheNextOrdersStillGoOut()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync(rejectRecipient: address => address.StartsWith("nobody@", StringComparison.Ordinal));
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        var refused = InProcessPipeline.NewOrder(email: "nobody@example.com");
        var fine = Enumerable.Range(0, 5).Select(_ => InProcessPipeline.NewOrder()).ToList();

        await pipeline.PublishAsync([refused]);
        await pipeline.PublishAsync(fine);

        await WaitForEmailsAsync(pipeline, fine.Count);
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed).Count > 0, Timeout,
            () => "nothing reached emails.failed");
        var failure = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed, ContractsJsonContext.Default.EmailFailed));
        Assert.Equal(refused.OrderId, failure.OrderId);
        Assert.Equal(EmailFailureReasons.Rejected, failure.Reason);
        Assert.Equal(550, failure.SmtpStatusCode);
        Assert.Equal("nobody@example.com", failure.Recipient);
        Assert.Equal(fine.Count, Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length);
    }

    // The consume loop's log of a failed batch it replays from the committed offsets.
    private static int Replays(IHost emails) =>
        emails.Services.GetFakeLogCollector().GetSnapshot().Count(log => log.Category == typeof(KafkaConsumeLoop).FullName && log.Message.StartsWith("Replaying ", StringComparison.Ordinal));

    private static Task WaitForEmailsAsync(InProcessPipeline pipeline, int count) =>
        Eventually.WaitUntilAsync(() => Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length >= count, Timeout,
            () => $"{Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length} of {count} emails arrived");
}
