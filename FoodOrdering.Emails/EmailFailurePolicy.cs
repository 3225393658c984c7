using FoodOrdering.Kafka;

namespace FoodOrdering.Emails;

/// <summary>
/// What each failure of an email gets, in one place: the Emails consumer's rules, before those every message
/// handler shares (Kafka's errors and outages replayed, anything unknown retried four times, then dead-lettered).
/// docs/failures.md has the table.
/// </summary>
internal static class EmailFailurePolicy
{
    public static FailurePolicy<Exception> Configure(FailurePolicy<Exception> policy, EmailOptions options) => policy
        // Only replies that refuse this mailbox or this message for good fail the email at once (SmtpFailures).
        .On<SmtpSendException>(e => e.Final).SetAside()
        // A pooled connection the server closed while idle fails its next send: a quick retry reconnects. A refusal
        // that lasts is the loop's to wait out, polling meanwhile so that the consumer keeps its partitions.
        .On<SmtpSendException>(e => e.Scope is SmtpFailureScope.Server).RetryInPlace(2, TimeSpan.FromMilliseconds(100)).Replay()
        // Any other refusal of one email may meet every email (relaying denied for all): it is the email's own only
        // once it fails alone while others go out.
        .On<SmtpSendException>().Replay()
        .ReplayWithBackoff(TimeSpan.FromMilliseconds(100), options.MaxRetryDelay);
}
