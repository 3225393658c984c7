using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FoodOrdering.Operations.DeadLetters;

/// <summary>
/// Which dead letters fail the same way: the same reason, from the same topic, with the same error text once what
/// varies per record (numbers, ids, quoted input) is taken out — a failure group as Wolverine and ServicePulse keep them.
/// </summary>
internal static partial class DeadLetterGroups
{
    public static string Fingerprint(string error) => Variable().Replace(error, "#");

    public static string Id(string reason, string sourceTopic, string error) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{reason}\n{sourceTopic}\n{Fingerprint(error)}")))[..16];

    // GUIDs, numbers, quoted and bracketed input, and (masked) addresses differ per record; the message around them does not.
    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+|'[^']*'|""[^""]*""|<[^>]*>|\S+@\S+", RegexOptions.CultureInvariant)]
    private static partial Regex Variable();
}
