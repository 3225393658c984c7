using System.Net.Sockets;
using FoodOrdering.Emails;
using FoodOrdering.Kafka;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FoodOrdering.Tests.Unit;

public sealed class SmtpFailuresTests
{
    private static readonly MailboxAddress Ada = new("Ada", "ada@example.com");

    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 550, "5.1.1 <ada@example.com>: Recipient address rejected: User unknown", nameof(SmtpFailureScope.Recipient), true)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 550, "Requested action not taken: mailbox unavailable", nameof(SmtpFailureScope.Recipient), true)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 553, "5.1.3 Bad recipient address syntax", nameof(SmtpFailureScope.Recipient), true)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 552, "5.2.2 Mailbox full", nameof(SmtpFailureScope.Recipient), true)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 554, "5.7.1 <ada@example.com>: Relay access denied", nameof(SmtpFailureScope.Recipient), false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 550, "5.7.1 Unable to relay", nameof(SmtpFailureScope.Recipient), false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 554, "Transaction failed", nameof(SmtpFailureScope.Recipient), false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 553, "5.1.8 <orders@foodordering.example>: Sender address rejected: Domain not found", nameof(SmtpFailureScope.Recipient), false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 550, "5.1.0 <orders@foodordering.example>: Sender address rejected: User unknown", nameof(SmtpFailureScope.Recipient), false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 450, "4.2.1 <ada@example.com>: greylisted, try again later", nameof(SmtpFailureScope.Recipient), false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 502, "5.5.2 Syntax error in parameters", nameof(SmtpFailureScope.Recipient), false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 502, "Error: command not implemented", nameof(SmtpFailureScope.Recipient), false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 599, "9.9.9 ¯\\_(ツ)_/¯ no", nameof(SmtpFailureScope.Recipient), false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 421, "4.7.0 Too many errors", nameof(SmtpFailureScope.Server), false)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 554, "5.7.1 Message rejected as spam", nameof(SmtpFailureScope.Message), true)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 552, "5.3.4 Message size exceeds fixed limit", nameof(SmtpFailureScope.Message), true)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 535, "5.7.8 Authentication credentials invalid", nameof(SmtpFailureScope.Message), false)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 554, "5.7.8 Authentication credentials invalid", nameof(SmtpFailureScope.Message), false)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 451, "4.3.0 Queue file write error", nameof(SmtpFailureScope.Message), false)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 471, "whatever this is", nameof(SmtpFailureScope.Message), false)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, 550, "5.7.1 Sender address rejected: not owned by user", nameof(SmtpFailureScope.Server), false)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, 502, "5.5.2 huh", nameof(SmtpFailureScope.Server), false)]
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, 554, "5.3.2 No SMTP service here", nameof(SmtpFailureScope.Server), false)]
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, 421, "Service not available, closing transmission channel", nameof(SmtpFailureScope.Server), false)]
    public void AReplyIsAboutWhatItsCommandIsAboutAndFinalOnlyWhenItsCodesSaySo(SmtpErrorCode step, int status, string reply, string scope, bool final)
    {
        var refused = new SmtpCommandException(step, (SmtpStatusCode)status, Ada, reply);

        Assert.Equal((Enum.Parse<SmtpFailureScope>(scope), final), (SmtpFailures.ScopeOf(refused), SmtpFailures.IsFinal(refused)));
    }

    public static TheoryData<Exception> ServerFailures() =>
    [
        new ServiceNotAuthenticatedException("5.7.0 Authentication required"),
        new AuthenticationException("535: 5.7.8 Authentication credentials invalid"),
        new NotSupportedException("The SMTP server does not support the STARTTLS extension."),
        new SslHandshakeException("An error occurred while attempting to establish an SSL or TLS connection."),
        new SmtpProtocolException("The SMTP server has unexpectedly disconnected."),
        new ServiceNotConnectedException("The SmtpClient is not connected."),
        new IOException("Unable to read data from the transport connection"),
        new SocketException((int)SocketError.ConnectionRefused),
        new TimeoutException(),
    ];

    [Theory]
    [MemberData(nameof(ServerFailures))]
    public void EverythingElseIsTheServersOrTheWayToIt(Exception failure) =>
        Assert.Equal(SmtpFailureScope.Server, SmtpFailures.ScopeOf(failure));

    [Fact]
    public void TheReportedFailureKeepsTheCodesAndMasksEveryAddressIncludingTheRecipientsHoweverWritten()
    {
        var refused = new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, Ada,
            "5.1.1 <ADA@Example.com>: unknown; also tried \"ada lovelace\"@example.com and bob@example.org");

        var failure = SmtpFailures.Describe(refused, ["ada@example.com"]);

        Assert.Equal((SmtpFailureScope.Recipient, 550), (failure.Scope, failure.StatusCode));
        Assert.Equal("RecipientNotAccepted 550: 5.1.1 <a***@example.com>: unknown; also tried \"***@example.com and b***@example.org", failure.Message);
        Assert.Null(failure.InnerException);
    }

    [Fact]
    public void ADeadLetterSaysWhatFailedWithoutTheAddressesInIt()
    {
        var cause = DeadLetterCause.Of(DeadLetterReasons.Unprocessable, new InvalidOperationException("550 5.1.1 <ada@example.com>: User unknown"));

        Assert.Equal("550 5.1.1 <a***@example.com>: User unknown", cause.Error);
    }
}
