using System.Runtime.Versioning;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Emails;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Tests.Integration;

/// <summary>The embedded SMTP sink's mail holds customer data: its directory and files are their owner's only.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class MailDirectoryTests : IDisposable
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const int NobodyUid = 65534;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "foodordering-tests", Guid.NewGuid().ToString("N"));

    [UnixFact]
    public async Task TheMailDirectoryAndEveryEmailInItAreReadableByTheirOwnerOnly()
    {
        var directory = Path.Combine(_root, "mail");
        await using var sink = new EmbeddedSmtpSink(directory);
        await sink.StartAsync(CancellationToken.None);

        await SendAsync(sink);

        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(directory));
        var email = Assert.Single(Directory.GetFiles(directory));
        Assert.EndsWith(".eml", email, StringComparison.Ordinal);
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(email));
    }

    [UnixFact]
    public async Task AMailDirectoryOthersCouldReadIsMadePrivateBeforeAnythingIsWritten()
    {
        Directory.CreateDirectory(_root);
        File.SetUnixFileMode(_root, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using var sink = new EmbeddedSmtpSink(_root);

        await sink.StartAsync(CancellationToken.None);

        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(_root));
    }

    [UnixFact]
    public async Task AMailDirectoryThatIsASymbolicLinkIsRefused()
    {
        var target = Directory.CreateDirectory(Path.Combine(_root, "someone-elses"));
        var link = Path.Combine(_root, "mail");
        Directory.CreateSymbolicLink(link, target.FullName);
        await using var sink = new EmbeddedSmtpSink(link);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sink.StartAsync(CancellationToken.None));

        Assert.Contains("symbolic link", error.Message);
        Assert.Contains("Embedded:MailDirectory", error.Message);
    }

    [RootFact]
    public async Task AMailDirectoryOfAnotherUserIsRefusedThoughItsModeIsOwnerOnly()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "someone-elses")).FullName;
        File.SetUnixFileMode(directory, OwnerOnlyDirectory);
        GiveTo(directory, NobodyUid);
        await using var sink = new EmbeddedSmtpSink(directory);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sink.StartAsync(CancellationToken.None));

        Assert.Contains($"belongs to another user (uid {NobodyUid})", error.Message);
        Assert.Contains("Embedded:MailDirectory", error.Message);
        Assert.Empty(Directory.GetFiles(directory));
    }

    [UnixFact]
    public void TheDefaultMailDirectoryIsTheUsersOwn()
    {
        var directory = new EmbeddedOptions().MailDirectory;

        Assert.StartsWith(Path.GetTempPath(), directory, StringComparison.Ordinal);
        Assert.EndsWith($"-{Environment.UserName}", directory, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static void GiveTo(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    private static async Task SendAsync(EmbeddedSmtpSink sink)
    {
        var order = InProcessPipeline.NewConfirmedOrder("grace@example.com");
        var email = new ConfirmationEmail(Options.Create(new EmailOptions()));
        await using var sender = new SmtpEmailSender(SmtpConnection.Parse(sink.ConnectionString, ConnectionNames.Smtp), new EmailMetrics(new NoMeterFactory()));
        await sender.SendAsync(email.Create(order), order.OrderId, CancellationToken.None);
    }
}
