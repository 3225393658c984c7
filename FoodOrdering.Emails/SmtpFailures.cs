using MailKit.Net.Smtp;

namespace FoodOrdering.Emails;

/// <summary>Which SMTP failures are worth waiting out and which never will succeed.</summary>
internal static class SmtpFailures
{
    /// <summary>A 5xx reply: the server refused this message for good. Anything else (4xx, lost connections, timeouts) is transient.</summary>
    public static bool IsPermanent(Exception exception) =>
        exception is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 };
}
