using System.Text;

namespace FoodOrdering.Emails;

/// <summary>
/// A template shipped inside this assembly (<c>Templates/</c>): <c>{{Name}}</c> placeholders, and one
/// <c>{{#Lines}}…{{/Lines}}</c> block repeated per order line. Every value goes through <c>encode</c>.
/// </summary>
internal sealed class EmailTemplate
{
    private const string LinesStart = "{{#Lines}}";
    private const string LinesEnd = "{{/Lines}}";

    private readonly string _head;
    private readonly string _line;
    private readonly string _tail;
    private readonly Func<string, string> _encode;

    private EmailTemplate(string text, Func<string, string> encode)
    {
        var start = text.IndexOf(LinesStart, StringComparison.Ordinal);
        var end = text.IndexOf(LinesEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"An email template needs one {LinesStart}…{LinesEnd} block.");
        }

        _head = text[..start];
        _line = text[(start + LinesStart.Length)..end];
        _tail = text[(end + LinesEnd.Length)..];
        _encode = encode;
    }

    public static EmailTemplate Load(string resourceName, Func<string, string> encode)
    {
        using var stream = typeof(EmailTemplate).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The email template {resourceName} is not embedded in {typeof(EmailTemplate).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new EmailTemplate(reader.ReadToEnd(), encode);
    }

    public string Render(IReadOnlyDictionary<string, string> values, IEnumerable<IReadOnlyDictionary<string, string>> lines)
    {
        var output = new StringBuilder(Fill(_head, values));
        foreach (var line in lines)
        {
            output.Append(Fill(_line, line));
        }

        return output.Append(Fill(_tail, values)).ToString();
    }

    private string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        var output = new StringBuilder(text.Length);
        var position = 0;
        while (text.IndexOf("{{", position, StringComparison.Ordinal) is var open and >= 0)
        {
            var close = text.IndexOf("}}", open, StringComparison.Ordinal);
            var name = text[(open + 2)..close];
            output.Append(text, position, open - position)
                .Append(_encode(values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No value for {{{{{name}}}}}.")));
            position = close + 2;
        }

        return output.Append(text, position, text.Length - position).ToString();
    }
}
