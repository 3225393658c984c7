namespace FoodOrdering.Contracts;

/// <summary>A confirmation email that can never be delivered, on <see cref="Topics.EmailsFailed"/>.</summary>
public sealed record EmailFailed(Guid OrderId, string Recipient, DateTimeOffset FailedAt, string Reason, string Message, int? SmtpStatusCode);

public static class EmailFailureReasons
{
    /// <summary>
    /// The server refused the recipient: for good (a 5xx reply to RCPT TO about the mailbox, e.g. 550 5.1.1 user
    /// unknown), or in any other way, again and again, while other emails went out.
    /// </summary>
    public const string Rejected = "smtp_rejected";

    /// <summary>
    /// The server refused the message: for good (a 5xx reply at the end of DATA, e.g. 554 5.7.1 spam), or in any other
    /// way, again and again, while other emails went out.
    /// </summary>
    public const string MessageRejected = "smtp_message_rejected";

    /// <summary>The recipient is not an address mail servers take (<see cref="EmailAddressRule"/>).</summary>
    public const string InvalidAddress = "invalid_address";

    /// <summary>
    /// The send failed alone, again and again, while other emails went out, with an error that is not a reply to
    /// this email's RCPT TO or DATA (a connection dropped on it, an answer MailKit cannot read).
    /// </summary>
    public const string FailsAlone = "smtp_fails_alone";

    /// <summary>
    /// The confirmation is not one Transactions could have written (an item not on the menu, another currency, amounts
    /// that do not add up), so no email shows it.
    /// </summary>
    public const string UntrustedConfirmation = "untrusted_confirmation";
}
