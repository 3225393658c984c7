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
        // Offsets are committed after every batch, so a kill repeats at most the batch it cut short and the one
        // whose commit it may have beaten.
        Assert.InRange(emails - expected.Count, 0, Kills * 2 * EmailsPerBatch);
    }

    // Four in flight on each of Email:SmtpConnections' four connections.
    private const int EmailsPerBatch = 16;

    private static HashSet<string> EmailedOrders(InProcessPipeline pipeline) =>
        [.. Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeMessage.Load(path).MessageId ?? "")];

    private static string ConfirmationMessageId(Guid orderId) => $"order-{orderId:N}@foodordering.example";
}
