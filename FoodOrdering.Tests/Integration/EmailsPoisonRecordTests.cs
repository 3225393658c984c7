using System.Text;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>Hostile records on <c>orders.confirmed</c>, before the next confirmation.</summary>
public sealed class EmailsPoisonRecordTests : PoisonRecordTests
{
    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task EmailsDeadLetterTheRecordAndSendTheNextConfirmation(string shape)
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartEmailsAsync();
        var next = Confirmed(InProcessPipeline.NewOrder());

        var poison = await ProduceAsync(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, HostileRecords[shape](), next.OrderId.ToString(),
            ContractsJson(next, ContractsJsonContext.Default.OrderConfirmed));

        await Eventually.WaitUntilAsync(() => Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length == 1, Timeout,
            () => $"the confirmation after the {shape} record was not emailed:{Environment.NewLine}{pipeline.RecentLogs(Microsoft.Extensions.Logging.LogLevel.Warning, 20)}");
        await AssertDeadLetteredAsync(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, poison);
    }

    [Fact]
    public async Task EmailsParkARecordWhoseDeadLetterTheBrokerRefusesAndSendTheNextConfirmation()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var next = Confirmed(InProcessPipeline.NewOrder());
        // Under the next order's key, so Emails takes the two in turn and the refusals meet the dead letters, not the
        // next order's announcement.
        var poison = await ProduceAsync(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, new() { Key = Encoding.UTF8.GetBytes(next.OrderId.ToString()), Value = "not json"u8.ToArray() },
            next.OrderId.ToString(), ContractsJson(next, ContractsJsonContext.Default.OrderConfirmed));

        // Refused twice: the dead letter, then the bare one.
        pipeline.Kafka.InjectRequestErrors(Embedded.KafkaApiKey.Produce, ErrorCode.MsgSizeTooLarge, ErrorCode.MsgSizeTooLarge);
        await pipeline.StartEmailsAsync();

        await Eventually.WaitUntilAsync(() => Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length == 1, Timeout,
            () => $"the confirmation after the parked record was not emailed:{Environment.NewLine}{pipeline.RecentLogs(Microsoft.Extensions.Logging.LogLevel.Warning, 20)}");
        await ConsumerGroupOffsets.WaitUntilCaughtUpAsync(pipeline.Kafka.BootstrapServers, ConsumerGroups.Emails, Topics.OrdersConfirmed, Timeout);
        Assert.True(pipeline.RecentLogs(Microsoft.Extensions.Logging.LogLevel.Critical).Contains($"Parked {Topics.OrdersConfirmed} [0] @{poison.Offset}", StringComparison.Ordinal),
            pipeline.RecentLogs(Microsoft.Extensions.Logging.LogLevel.Warning, 30));
        Assert.Empty(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersConfirmed)));
    }
}
