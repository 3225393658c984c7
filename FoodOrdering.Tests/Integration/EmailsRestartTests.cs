using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>What Emails remembers across a restart: the orders it emailed or failed, read back from their topics.</summary>
public sealed class EmailsRestartTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task AConfirmationWrittenAgainAfterARestartIsADuplicateWhetherItsOrderWasEmailedOrFailed()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync(rejectRecipient: address => address.StartsWith("nobody@", StringComparison.Ordinal));
        var emailed = InProcessPipeline.NewConfirmedOrder("ada@example.com");
        var refused = InProcessPipeline.NewConfirmedOrder("nobody@example.com");
        var first = await pipeline.StartEmailsAsync();
        await pipeline.PublishConfirmedAsync([emailed, refused]);
        await Eventually.WaitUntilAsync(
            () => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsSent).Count == 1 && TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed).Count == 1,
            Timeout, () => "the two orders were not dealt with");
        await first.StopAsync();

        await pipeline.StartEmailsAsync();
        // As a re-drive or a second writer would put them there again.
        await pipeline.PublishConfirmedAsync([emailed, refused]);
        await ConsumerGroupOffsets.WaitUntilPastAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Emails,
            TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed), Timeout);

        Assert.Single(Directory.GetFiles(pipeline.MailDirectory, "*.eml"));
        Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.EmailsFailed));
    }
}
