using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FoodOrdering;

/// <summary>Masks customer data before it reaches a log line or a span.</summary>
public static partial class Pii
{
    /// <summary><c>jane.doe@example.com</c> becomes <c>j***@example.com</c>; anything that is not an address becomes <c>***</c>.</summary>
    public static string MaskEmail(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at > 0 ? $"{email![0]}***{email[at..]}" : "***";
    }

    /// <summary>
    /// Masks every email address inside free text, such as an SMTP server's reply
    /// (<c>550 5.1.1 &lt;jane@example.com&gt;: Recipient rejected</c>), which often repeats the recipient.
    /// </summary>
    public static string MaskEmailsIn(string? text) =>
        string.IsNullOrEmpty(text) ? "" : EmailAddress().Replace(text, match => MaskEmail(match.Value));

    /// <summary>
    /// Marks <paramref name="activity"/> failed with <paramref name="exception"/> as an <c>exception</c> event, its
    /// texts masked: they can repeat a customer's address (an SMTP server's reply does).
    /// </summary>
    public static void RecordException(Activity? activity, Exception exception)
    {
        activity?.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            ["exception.type"] = exception.GetType().FullName,
            ["exception.message"] = MaskEmailsIn(exception.Message),
            ["exception.stacktrace"] = MaskEmailsIn(exception.ToString()),
        }));
        activity?.SetStatus(ActivityStatusCode.Error, MaskEmailsIn(exception.Message));
    }

    // A local part may be quoted and hold spaces (<"ada lovelace"@example.com>), which the order API accepts.
    // Without backtracking, the time is linear in the text: a long run of address characters with no @ after it
    // (a record's value, a header) made the backtracking engine try every start against the whole run.
    [GeneratedRegex(@"(?:""[^""\r\n]*""|[^\s<>()\[\],;:""@]+)@[^\s<>()\[\],;:""@]+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex EmailAddress();
}
