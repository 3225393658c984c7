namespace FoodOrdering.Emails;

/// <summary>
/// A failed SMTP send as <see cref="SmtpEmailSender"/> reports it: what failed, the server's status code when it
/// answered, and a text with every email address masked. MailKit's own exception does not leave the sender: its
/// text is the server's reply, which often repeats the recipient's address, and whatever logs or traces an exception
/// (Polly's retries, the consumer's dead letters, a span) would carry it along.
/// </summary>
internal sealed class SmtpSendException(SmtpFailureScope scope, int? statusCode, string message) : Exception(message)
{
    public SmtpFailureScope Scope { get; } = scope;

    public int? StatusCode { get; } = statusCode;
}
