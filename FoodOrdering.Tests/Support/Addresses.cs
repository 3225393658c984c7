using System.Globalization;
using System.Text.RegularExpressions;

namespace FoodOrdering.Tests.Support;

/// <summary>The <c>host:port</c> addresses in a configuration value.</summary>
internal static partial class Addresses
{
    public static IEnumerable<string> In(string value) => HostAndPort().Matches(value).Select(match => match.Value);

    public static (string Host, int Port) Split(string address)
    {
        var colon = address.LastIndexOf(':');
        return (address[..colon], int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(?<![\w.-])[A-Za-z0-9][A-Za-z0-9.-]*:\d{1,5}\b")]
    private static partial Regex HostAndPort();
}
