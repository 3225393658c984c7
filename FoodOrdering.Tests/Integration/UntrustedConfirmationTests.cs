using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using MimeKit;

namespace FoodOrdering.Tests.Integration;

/// <summary>Records on orders.confirmed that Transactions did not write, as anyone who can write the topic could.</summary>
public sealed class UntrustedConfirmationTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task AWrongCurrencyOrAnItemOffTheMenuGoesToEmailsFailedWithTheReasonAndHostileNamesNeverReachAnEmail()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartEmailsAsync();
        var wrongCurrency = InProcessPipeline.NewConfirmedOrder("eve@example.com") with { Currency = "XBT" };
        var offTheMenu = InProcessPipeline.NewConfirmedOrder("eve@example.com") with
        {
            Lines = [new PricedLine("gift-card", "Gift card: reply with your password", 1, 23.00m, 23.00m)],
        };
        var hostileNames = InProcessPipeline.NewConfirmedOrder("ada@example.com");
        hostileNames = hostileNames with { Lines = [hostileNames.Lines[0] with { Name = "<a href=\"https://evil.example/\">Refund</a>" }] };

        await pipeline.PublishConfirmedAsync([wrongCurrency, offTheMenu, hostileNames]);

        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed).Count >= 2, Timeout,
            () => $"{TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed).Count} of 2 failures recorded");
        await Eventually.WaitUntilAsync(() => Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length >= 1, Timeout, () => "no email arrived");
        await ConsumerGroupOffsets.WaitUntilPastAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Emails,
            TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed), Timeout);
        var failures = TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed, ContractsJsonContext.Default.EmailFailed);
        Assert.Equal(new[] { wrongCurrency.OrderId, offTheMenu.OrderId }.Order(), failures.Select(failure => failure.OrderId).Order());
        Assert.All(failures, failure => Assert.Equal(EmailFailureReasons.UntrustedConfirmation, failure.Reason));
        Assert.Contains("currency", Assert.Single(failures, failure => failure.OrderId == wrongCurrency.OrderId).Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password", Assert.Single(failures, failure => failure.OrderId == offTheMenu.OrderId).Message, StringComparison.Ordinal);
        var email = MimeMessage.Load(Assert.Single(Directory.GetFiles(pipeline.MailDirectory, "*.eml")));
        Assert.Equal("ada@example.com", Assert.Single(email.To.Mailboxes).Address);
        Assert.DoesNotContain("evil.example", email.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<td>Margherita Pizza</td>", email.HtmlBody, StringComparison.Ordinal);
    }
}
