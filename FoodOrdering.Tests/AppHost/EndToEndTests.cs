using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FoodOrdering.AppHost;
using FoodOrdering.Tests.Support;
using MimeKit;

namespace FoodOrdering.Tests.AppHost;

/// <summary>The whole AppHost, started as <c>dotnet run</c> would, in embedded mode.</summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan EmailTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AGeneratedOrderArrivesAsAConfirmationEmailInTheMailDirectory()
    {
        var mailDirectory = Path.Combine(Path.GetTempPath(), "foodordering-tests", Guid.NewGuid().ToString("N"));
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(
            ["--Infrastructure", "Embedded", "--Embedded:MailDirectory", mailDirectory], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);

        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Emails, timeout.Token);
        await Eventually.WaitUntilAsync(
            () => Directory.Exists(mailDirectory) && Directory.EnumerateFiles(mailDirectory, "*.eml").Any(),
            EmailTimeout,
            () => $"no .eml file appeared in {mailDirectory}");

        var email = MimeMessage.Load(Directory.EnumerateFiles(mailDirectory, "*.eml").First());
        Assert.Matches("^Your FoodOrdering order [0-9a-f-]{36} is confirmed$", email.Subject);
        Assert.Contains("Total:", email.TextBody);
        Directory.Delete(mailDirectory, recursive: true);
    }
}
