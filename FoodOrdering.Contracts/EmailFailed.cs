namespace FoodOrdering.Contracts;

/// <summary>A confirmation email that can never be delivered, on <see cref="Topics.EmailsFailed"/>.</summary>
public sealed record EmailFailed(Guid OrderId, string Recipient, DateTimeOffset FailedAt, string Reason, string Message, int? SmtpStatusCode);

public static class EmailFailureReasons
{
    /// <summary>The server refused the message for good (a 5xx reply, e.g. 550 mailbox unavailable).</summary>
    public const string Rejected = "smtp_rejected";

    /// <summary>The recipient is not an email address.</summary>
    public const string InvalidAddress = "invalid_address";
}
