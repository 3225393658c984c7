using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using MimeKit;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

public sealed class EmailsCrashTests(ITestOutputHelper output) : CrashTests(output)
{
    [Fact]
    public async Task EveryOrderIsEmailedWhenEmailsIsKilledThreeTimesMidStream()
    {
        const int Orders = 1_500;
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var settings = new Dictionary<string, string> { [$"ConnectionStrings__{ConnectionNames.Smtp}"] = pipeline.Smtp.ConnectionString };
        using var endOfStream = new CancellationTokenSource();
        var publishing = pipeline.StreamOrdersAsync(ordersPerSecond: 100, atLeast: Orders, endOfStream.Token);

        await KillRepeatedlyAsync(ServiceProcess.Emails, pipeline, settings, () => pipeline.Smtp.MessagesReceived, publishing);
        var emailedBeforeTheLastKill = pipeline.Smtp.MessagesReceived;
        await endOfStream.CancelAsync();
        var expected = await publishing;
        using (ServiceProcess.Start(ServiceProcess.Emails, pipeline.Kafka.BootstrapServers, settings))
        {
            // Parsing every .eml is slow, so only once the sink has received enough of them.
            await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= expected.Count && EmailedOrders(pipeline).Count >= expected.Count, Timeout,
                () => $"{EmailedOrders(pipeline).Count} of {expected.Count} orders emailed");
        }

        var emails = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Length;
        Output.WriteLine($"{expected.Count} orders, {emails} emails: {emails - expected.Count} sent again after a kill");
        Assert.Equal(expected.Select(order => ConfirmationMessageId(order.OrderId)).Order(), EmailedOrders(pipeline).Order());
        // Offsets are committed after every batch, so only what went out since a kill's last commits goes out again:
        // a few batches, far from half of what was sent.
        Assert.True(emails - expected.Count < emailedBeforeTheLastKill / 2, $"{emails - expected.Count} of the {emailedBeforeTheLastKill} emails sent before the last kill were sent again");
    }

    private static HashSet<string> EmailedOrders(InProcessPipeline pipeline) =>
        [.. Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path).MessageId ?? "")];

    private static string ConfirmationMessageId(Guid orderId) => $"order-{orderId:N}@foodordering.example";
}
