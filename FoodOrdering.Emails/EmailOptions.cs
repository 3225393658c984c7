using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Emails;

internal sealed class EmailOptions
{
    public const string SectionName = SettingsSections.Email;

    [Required]
    public string FromName { get; set; } = "FoodOrdering";

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "orders@foodordering.example";

    /// <summary>Where replies go, when not to <see cref="FromAddress"/>.</summary>
    [EmailAddress]
    public string? ReplyToAddress { get; set; }

    /// <summary>The domain part of every <c>Message-Id</c>; ids are derived from order ids so receivers can de-duplicate.</summary>
    [Required]
    public string MessageIdDomain { get; set; } = "foodordering.example";

    /// <summary>How many sent order ids are remembered to avoid a second email on redelivery (their size is in bench/README.md#memory).</summary>
    [Range(1, 10_000_000)]
    public int RememberedOrders { get; set; } = 100_000;

    /// <summary>
    /// The longest wait between two replays of a failed batch (the SMTP server takes no email, Kafka does not take an
    /// output): the consumer replays it with a backoff up to this (<see cref="EmailFailurePolicy"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>SMTP connections kept open, and so emails sent at once.</summary>
    [Range(1, 64)]
    public int SmtpConnections { get; set; } = 4;

    /// <summary>
    /// Lets the credentials of <c>ConnectionStrings:smtp</c> go over a connection without TLS (<c>Tls=None</c>, or
    /// STARTTLS only when offered, which an attacker on the path can strip). Off: with credentials, the connection
    /// must be TLS from the first byte (<c>smtps://</c>) or upgrade with STARTTLS, or no email is sent.
    /// </summary>
    public bool AllowCredentialsWithoutTls { get; set; }
}
