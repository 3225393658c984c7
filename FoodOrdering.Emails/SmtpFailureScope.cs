namespace FoodOrdering.Emails;

/// <summary>
/// What a failed SMTP send was about, by the command the failing reply answered: one email's recipient, one email's
/// message, or the server (the session, the sender, authentication, TLS, the connection), which every email meets.
/// </summary>
internal enum SmtpFailureScope
{
    /// <summary>The server refused this email's recipient: its reply to <c>RCPT TO</c>, whatever the code.</summary>
    Recipient,

    /// <summary>The server refused this email's message: its reply to <c>DATA</c> or at the end of it, whatever the code.</summary>
    Message,

    /// <summary>
    /// The greeting, <c>EHLO</c>, <c>AUTH</c> or <c>MAIL FROM</c> was refused, the connection failed, or the server said
    /// it is closing (421): every email would fail the same way now, so none of them is at fault.
    /// </summary>
    Server,
}
