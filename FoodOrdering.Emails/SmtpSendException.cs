namespace FoodOrdering.Emails;

/// <summary>
/// A failed SMTP send as <see cref="SmtpEmailSender"/> reports it: what it was about, whether the reply is known to
/// refuse this email for good, the server's status code when it answered, and a text with every email address masked.
/// MailKit's own exception does not leave the sender: its text is the server's reply, which often repeats the
/// recipient's address, and whatever logs or traces an exception (Polly's retries, the consumer's dead letters, a span)
/// would carry it along.
/// </summary>
internal sealed class SmtpSendException(SmtpFailureScope scope, bool final, int? statusCode, string message) : Exception(message)
{
    public SmtpFailureScope Scope { get; } = scope;

    /// <summary>
    /// The reply refuses this email for good (e.g. 550 5.1.1 user unknown): it goes to <c>emails.failed</c> at once.
    /// Any other refusal of one email is tried again, and is the email's failure only once it fails alone while others
    /// go out (<see cref="OrderConfirmedHandler.FailedAloneAsync"/>).
    /// </summary>
    public bool Final { get; } = final;

    public int? StatusCode { get; } = statusCode;
}
