namespace FoodOrdering.Emails;

/// <summary>What a failed SMTP send says was wrong: one email, or everything sent through that server now.</summary>
internal enum SmtpFailureScope
{
    /// <summary>The server refused this email's recipient for good (RCPT TO answered, e.g., 550 5.1.1 user unknown).</summary>
    Recipient,

    /// <summary>The server took the whole message and refused it for good (e.g., 554 5.7.1 at the end of DATA: spam, size).</summary>
    Message,

    /// <summary>
    /// The server refused the session or the sender, or could not be reached, or answered "try later": every email
    /// would fail the same way now, so none of them is at fault.
    /// </summary>
    Server,
}
