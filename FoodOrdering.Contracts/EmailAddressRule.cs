using System.Globalization;

namespace FoodOrdering.Contracts;

/// <summary>
/// The one rule for a customer email address that mail servers take, used by the order API (a 400 on the field) and by
/// the Emails service before it sends (an <c>emails.failed</c> record): at most 254 characters; a local part of at
/// most 64 ASCII characters, a dot-atom or a quoted string (RFC 5321 §4.1.2); a domain that is a host name (RFC 5321
/// §4.1.2, RFC 1123 §2.1): labels of 1 to 63 letters, digits and hyphens, none at a label's start or end, at least two
/// labels, at most 253 characters in all, and a top-level label that is not all digits. An internationalized domain is
/// checked as its punycode (<see cref="IdnMapping"/>), which is what goes on the wire. Address literals
/// (<c>jane@[192.0.2.1]</c>) are refused: a customer has a mailbox on a domain.
/// </summary>
public static class EmailAddressRule
{
    public const int MaxLength = 254;
    public const int MaxLocalPartLength = 64;
    public const int MaxDomainLength = 253;
    public const int MaxLabelLength = 63;

    private const string AtomSpecials = "!#$%&'*+-/=?^_`{|}~";

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>Null when mail servers take <paramref name="address"/>; otherwise what is wrong with it, in a sentence.</summary>
    public static string? Problem(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return "An email address is required.";
        }

        if (address.Length > MaxLength)
        {
            return $"At most {MaxLength} characters.";
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return "An email address is a local part, '@' and a domain.";
        }

        return LocalPartProblem(address[..at]) ?? DomainProblem(address[(at + 1)..]);
    }

    public static bool IsValid(string? address) => Problem(address) is null;

    private static string? LocalPartProblem(string local)
    {
        if (local.Length > MaxLocalPartLength)
        {
            return $"The part before '@' has at most {MaxLocalPartLength} characters.";
        }

        var valid = local is ['"', .., '"']
            ? IsQuotedString(local.AsSpan(1, local.Length - 2))
            : IsDotAtom(local);
        return valid ? null : "The part before '@' is not one a mail server takes (letters, digits, dots and !#$%&'*+-/=?^_`{|}~, or a quoted string).";
    }

    private static bool IsDotAtom(string local) =>
        local.Split('.').All(atom => atom.Length > 0 && atom.All(c => char.IsAsciiLetterOrDigit(c) || AtomSpecials.Contains(c)));

    private static bool IsQuotedString(ReadOnlySpan<char> content)
    {
        for (var i = 0; i < content.Length; i++)
        {
            if (!IsPrintableAscii(content[i]) || content[i] == '"')
            {
                return false;
            }

            // A backslash takes the next character along, which is how a quote gets inside.
            if (content[i] == '\\' && (++i == content.Length || !IsPrintableAscii(content[i])))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPrintableAscii(char c) => c is >= ' ' and <= '~';

    private static string? DomainProblem(string domain)
    {
        if (domain.StartsWith('['))
        {
            return "An address literal (a domain in brackets) is not taken; use the mailbox's domain name.";
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return "The domain is not a host name (labels of letters, digits and hyphens, separated by dots).";
        }

        if (ascii.Length > MaxDomainLength)
        {
            return $"The domain has at most {MaxDomainLength} characters.";
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            return "The domain needs a dot (e.g. example.com).";
        }

        if (!labels.All(IsHostLabel))
        {
            return $"Each part of the domain has 1 to {MaxLabelLength} letters, digits or hyphens, and neither starts nor ends with a hyphen.";
        }

        return labels[^1].All(char.IsAsciiDigit) ? "The domain's last part is not all digits." : null;
    }

    private static bool IsHostLabel(string label) =>
        label.Length is >= 1 and <= MaxLabelLength
        && label[0] != '-'
        && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
