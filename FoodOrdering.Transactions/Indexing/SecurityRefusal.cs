using System.Text.RegularExpressions;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// A 403 <c>security_exception</c> read for what is missing. Elasticsearch words a denied action as
/// <c>action [indices:admin/auto_create] is unauthorized for user [indexer] with effective roles [indexer] on indices
/// [foodordering-analytics], this action is granted by the index privileges [auto_configure,create_index,manage,all]</c>
/// (for an API key: <c>for API key id [id] of user [owner]</c>; for a cluster action, no indices and
/// <c>cluster privileges</c>). Its type says it is a refusal; only this sentence says which privilege would grant it.
/// </summary>
internal sealed partial record SecurityRefusal(string Action, string Principal, string? Indices, string Scope, IReadOnlyList<string> GrantedBy)
{
    public static SecurityRefusal? Parse(string reason)
    {
        Match match;
        try
        {
            match = Denied().Match(reason);
        }
        catch (RegexMatchTimeoutException)
        {
            // Not Elasticsearch's sentence (a proxy's page, say): the caller shows the reason as it came.
            return null;
        }

        return match.Success
            ? new SecurityRefusal(
                match.Groups["action"].Value,
                match.Groups["principal"].Value,
                match.Groups["indices"].Success ? match.Groups["indices"].Value : null,
                match.Groups["scope"].Value,
                match.Groups["privileges"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : null;
    }

    public override string ToString() =>
        $"{Principal} lacks the privilege for [{Action}]{(Indices is null ? "" : $" on [{Indices}]")}: " +
        $"grant one of the {Scope} privileges {string.Join(", ", GrantedBy)}";

    [GeneratedRegex(
        @"action \[(?<action>.+?)\] is unauthorized for (?<principal>.+?)(?: with (?:effective|assigned) roles \[[^\]]*\])?(?: on (?:restricted )?indices \[(?<indices>[^\]]*)\])?, this action is granted by the (?<scope>index|cluster) privileges \[(?<privileges>[^\]]*)\]",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Denied();
}
