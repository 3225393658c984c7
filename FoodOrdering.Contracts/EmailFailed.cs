namespace FoodOrdering.Contracts;

/// <summary>A confirmation email that can never be delivered, on <see cref="Topics.EmailsFailed"/>.</summary>
public sealed record EmailFailed(Guid OrderId, string Recipient, DateTimeOffset FailedAt, string Reason, string Message, int? SmtpStatusCode);

public static class EmailFailureReasons
{
    /// <summary>The server refused the recipient for good (a 5xx reply to RCPT TO about the mailbox, e.g. 550 5.1.1 user unknown).</summary>
    public const string Rejected = "smtp_rejected";

    /// <summary>The server read the message and refused it for good (a 5xx reply at the end of DATA, e.g. 554 5.7.1 spam).</summary>
    public const string MessageRejected = "smtp_message_rejected";

    /// <summary>The recipient is not an email address.</summary>
    public const string InvalidAddress = "invalid_address";

    /// <summary>
    /// The confirmation is not one Transactions could have written (an item not on the menu, another currency, amounts
    /// that do not add up), so no email shows it.
    /// </summary>
    public const string UntrustedConfirmation = "untrusted_confirmation";
}
