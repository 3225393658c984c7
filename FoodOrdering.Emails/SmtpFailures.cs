using System.Globalization;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;

namespace FoodOrdering.Emails;

/// <summary>
/// Reads a failed send for what failed. MailKit says which command the reply answered, and that says whom it is about
/// (<see cref="SmtpFailureScope"/>): a refusal of <c>RCPT TO</c> or of <c>DATA</c> is about this email, whatever its
/// code or text; anything else — the session, the sender, authentication, TLS, the connection — is about the server.
/// Of the refusals of one email, only those the basic (RFC 5321) and enhanced (RFC 3463) codes show to be permanent
/// and about the mailbox or the content are <see cref="SmtpSendException.Final"/>; the rest (4xx, relay or policy
/// refusals that may meet every email, codes never seen) are tried again, so a server that refuses everyone never
/// empties the backlog into <c>emails.failed</c>.
/// </summary>
internal static partial class SmtpFailures
{
    // An SMTP reply line is at most 512 characters; a longer text is not worth carrying into every log line.
    private const int MaxTextLength = 1024;

    /// <summary>
    /// What <paramref name="exception"/> says, as the Emails service reports it: its scope, status code and text,
    /// with <paramref name="recipients"/> and every other address in it masked.
    /// </summary>
    public static SmtpSendException Describe(Exception exception, IEnumerable<string> recipients)
    {
        var text = exception.Message;
        foreach (var recipient in recipients.Where(recipient => recipient.Length > 0))
        {
            text = text.Replace(recipient, Pii.MaskEmail(recipient), StringComparison.OrdinalIgnoreCase);
        }

        text = Pii.MaskEmailsIn(text);
        if (text.Length > MaxTextLength)
        {
            text = string.Concat(text.AsSpan(0, MaxTextLength), "…");
        }

        var command = exception as SmtpCommandException;
        var what = command is null
            ? exception.GetType().Name
            : $"{command.ErrorCode} {((int)command.StatusCode).ToString(CultureInfo.InvariantCulture)}";
        return new SmtpSendException(ScopeOf(exception), IsFinal(exception), command is null ? null : (int)command.StatusCode, $"{what}: {text}");
    }

    // 421 is the server closing the session, whichever command it answers (RFC 5321 §3.8).
    public static SmtpFailureScope ScopeOf(Exception exception) => exception switch
    {
        SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable } => SmtpFailureScope.Server,
        SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } => SmtpFailureScope.Recipient,
        SmtpCommandException { ErrorCode: SmtpErrorCode.MessageNotAccepted } => SmtpFailureScope.Message,
        _ => SmtpFailureScope.Server,
    };

    public static bool IsFinal(Exception exception) => exception switch
    {
        SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } refused => RefusesTheMailbox(refused),
        SmtpCommandException { ErrorCode: SmtpErrorCode.MessageNotAccepted } refused => RefusesTheMessage(refused),
        _ => false,
    };

    // At RCPT TO, a permanent refusal of the destination mailbox: unknown, disabled, full, a bad address or domain
    // (5.1.x, 5.2.x; without an enhanced code, 550–553). Not the sender's address (5.1.7, 5.1.8: Postfix delays its
    // sender checks to RCPT TO), not 5.1.0, and not security or policy (5.7.x: relay denied, not authenticated, client
    // blocked), system, network or protocol (5.3–5.6), nor a bare 554: those refuse every recipient alike.
    private static bool RefusesTheMailbox(SmtpCommandException refused) =>
        IsPermanent(refused) && EnhancedCode(refused.Message) switch
        {
            null => (int)refused.StatusCode is 550 or 551 or 552 or 553,
            (5, 1, var detail) => detail is not (0 or 7 or 8),
            (5, 2, _) => true,
            _ => false,
        };

    // At the end of DATA the server read this message and refused it for good (content, policy, size), unless the
    // refusal is about authentication, which every message would meet.
    private static bool RefusesTheMessage(SmtpCommandException refused) =>
        IsPermanent(refused)
        && (int)refused.StatusCode is not (530 or 534 or 535 or 538)
        && EnhancedCode(refused.Message) is not (5, 7, 8 or 9 or 11);

    private static bool IsPermanent(SmtpCommandException refused) => (int)refused.StatusCode is >= 500 and <= 599;

    private static (int Class, int Subject, int Detail)? EnhancedCode(string reply) =>
        EnhancedStatusCode().Match(reply) is { Success: true } match
            ? (Number(match.Groups[1]), Number(match.Groups[2]), Number(match.Groups[3]))
            : null;

    private static int Number(Group group) => int.Parse(group.ValueSpan, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\A\s*([245])\.(\d{1,3})\.(\d{1,3})(?!\S)", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedStatusCode();
}
