using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// Reads docs/walkthrough.md as its opening comment says it is checked: links, the files it names, the
/// <c>Type.Member</c> names it gives in them, and its count of files. Declarations are found by their shape in the
/// source, so a name that is only called, or only mentioned in a comment, does not count as declared.
/// </summary>
internal static partial class WalkthroughCheck
{
    private static readonly string[] SkippedDirectories = ["bin", "obj", ".git", "node_modules"];

    /// <summary>What the page says that the repository does not bear out; empty when it all holds.</summary>
    public static List<string> Problems(string markdown, string pageDirectory, string repositoryRoot) =>
        Check(markdown, pageDirectory, repositoryRoot).Problems;

    /// <summary>Every <c>Type.Member</c> the page names, checked or not.</summary>
    public static List<string> NamedMembers(string markdown, string pageDirectory, string repositoryRoot) =>
        Check(markdown, pageDirectory, repositoryRoot).Members;

    private static (List<string> Problems, List<string> Members) Check(string markdown, string pageDirectory, string repositoryRoot)
    {
        var problems = new List<string>();
        var members = new List<string>();
        var repositoryFiles = RepositoryFiles(repositoryRoot);
        var blocks = Blocks(Comment().Replace(markdown, ""));
        var named = NamedFiles(blocks, pageDirectory, problems);

        foreach (var block in blocks)
        {
            string? file = null;
            foreach (Match token in Token().Matches(block))
            {
                if (token.Groups["target"].Success)
                {
                    CheckLink(token.Groups["text"].Value, token.Groups["target"].Value, pageDirectory, problems);
                    if (FileName(token.Groups["text"].Value) is { } linkedName && named.TryGetValue(linkedName, out var linked) && linked.EndsWith(".cs", StringComparison.Ordinal))
                    {
                        file = linked;
                    }

                    continue;
                }

                var code = token.Groups["code"].Value;
                if (FileName($"`{code}`") is { } name)
                {
                    if (named.TryGetValue(name, out var path))
                    {
                        file = path.EndsWith(".cs", StringComparison.Ordinal) ? path : file;
                    }
                    else if (!repositoryFiles.Contains(name))
                    {
                        problems.Add($"`{name}` is no file of the repository");
                    }
                }
                else if (MemberName().Match(code) is { Success: true } member)
                {
                    members.Add(code);
                    CheckMember(member.Groups["type"].Value, member.Groups["member"].Value, file, repositoryRoot, problems);
                }
            }
        }

        CheckCount(blocks, repositoryFiles, problems);
        return (problems, members);
    }

    /// <summary>Paragraphs, list items, headings and table rows, each with its continuation lines joined.</summary>
    private static List<string> Blocks(string markdown)
    {
        var blocks = new List<string>();
        var current = new StringBuilder();
        foreach (var line in markdown.Split('\n').Select(line => line.TrimEnd('\r')))
        {
            var starts = BlockStart().IsMatch(line);
            if (string.IsNullOrWhiteSpace(line) || starts)
            {
                Flush();
            }

            if (!string.IsNullOrWhiteSpace(line))
            {
                current.Append(current.Length == 0 ? line.Trim() : " " + line.Trim());
            }
        }

        Flush();
        return blocks;

        void Flush()
        {
            if (current.Length > 0)
            {
                blocks.Add(current.ToString());
                current.Clear();
            }
        }
    }

    /// <summary>The file each <c>[`File.cs`](path)</c> link names, on the whole page; a name linking two files is a problem.</summary>
    private static Dictionary<string, string> NamedFiles(List<string> blocks, string pageDirectory, List<string> problems)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match link in blocks.SelectMany(block => Token().Matches(block)).Where(token => token.Groups["target"].Success))
        {
            if (FileName(link.Groups["text"].Value) is not { } name || IsExternal(link.Groups["target"].Value))
            {
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(pageDirectory, link.Groups["target"].Value.Split('#')[0]));
            if (Path.GetFileName(path) != name)
            {
                problems.Add($"[`{name}`] links {link.Groups["target"].Value}, a file of another name");
            }
            else if (named.TryGetValue(name, out var other) && other != path)
            {
                problems.Add($"`{name}` links two files: {other} and {path}");
            }
            else
            {
                named[name] = path;
            }
        }

        return named;
    }

    private static void CheckLink(string text, string target, string pageDirectory, List<string> problems)
    {
        if (IsExternal(target))
        {
            return;
        }

        var parts = target.Split('#', 2);
        var path = parts[0].Length == 0 ? null : Path.GetFullPath(Path.Combine(pageDirectory, parts[0]));
        if (path is not null && !File.Exists(path) && !Directory.Exists(path))
        {
            problems.Add($"[{text}]({target}): no such file");
            return;
        }

        if (parts.Length == 2 && path is not null && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllText(path)).Contains(parts[1]))
        {
            problems.Add($"[{text}]({target}): {parts[0]} has no heading #{parts[1]}");
        }
    }

    private static void CheckMember(string type, string member, string? file, string repositoryRoot, List<string> problems)
    {
        if (file is null)
        {
            problems.Add($"`{type}.{member}` follows no .cs file in its paragraph or list item");
            return;
        }

        if (!File.Exists(file))
        {
            // Its link is the problem, reported as such.
            return;
        }

        var source = File.ReadAllText(file);
        var where = Path.GetRelativePath(repositoryRoot, file);
        if (!Regex.IsMatch(source, $@"\b(?:class|struct|interface|enum|record)\s+{type}\b"))
        {
            problems.Add($"`{type}.{member}`: {where} declares no type {type}");
        }
        else if (!Regex.IsMatch(source, Declaration(member), RegexOptions.Multiline) && !Regex.IsMatch(source, EnumMember(member), RegexOptions.Multiline))
        {
            problems.Add($"`{type}.{member}`: {where} declares no member {member}");
        }
    }

    /// <summary>Each part of "How many files" lists as many files as it says, all of them there, and "In all" is their sum.</summary>
    private static void CheckCount(List<string> blocks, HashSet<string> repositoryFiles, List<string> problems)
    {
        var parts = blocks.Select(block => CountedPart().Match(block)).Where(match => match.Success).ToList();
        if (parts.Count == 0)
        {
            problems.Add("no counted part (\"- **Part (n)**: File, File.\")");
            return;
        }

        var sum = 0;
        foreach (var part in parts)
        {
            var names = part.Groups["names"].Value.Split(", ", StringSplitOptions.TrimEntries);
            var said = int.Parse(part.Groups["count"].Value, CultureInfo.InvariantCulture);
            sum += said;
            if (names.Length != said)
            {
                problems.Add($"{part.Groups["part"].Value} says {said} files and names {names.Length}");
            }

            problems.AddRange(names
                .Where(name => !repositoryFiles.Contains(Path.HasExtension(name) ? name : name + ".cs"))
                .Select(name => $"{part.Groups["part"].Value}: {name} is no file of the repository"));
        }

        var total = blocks.Select(block => TotalCount().Match(block)).FirstOrDefault(match => match.Success);
        if (total is null)
        {
            problems.Add("no \"**In all: n files.**\"");
        }
        else if (int.Parse(total.Groups["count"].Value, CultureInfo.InvariantCulture) != sum)
        {
            problems.Add($"In all says {total.Groups["count"].Value} files; the parts add up to {sum}");
        }
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in markdown.Split('\n').Select(line => line.TrimEnd('\r')))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }
            else if (!fenced && Heading().Match(line) is { Success: true } heading)
            {
                var slug = string.Concat(heading.Groups[1].Value.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-');
                var repeat = seen.TryGetValue(slug, out var count) ? count : 0;
                seen[slug] = repeat + 1;
                anchors.Add(repeat == 0 ? slug : $"{slug}-{repeat}");
            }
        }

        return anchors;
    }

    private static HashSet<string> RepositoryFiles(string root)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var directory))
        {
            files.UnionWith(Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>());
            foreach (var child in Directory.EnumerateDirectories(directory).Where(child => !SkippedDirectories.Contains(Path.GetFileName(child))))
            {
                pending.Push(child);
            }
        }

        return files;
    }

    private static bool IsExternal(string target) => target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal);

    /// <summary>The file name a backticked text is, such as <c>`OrdersApi.cs`</c>; null for anything else.</summary>
    private static string? FileName(string text) => FileNameText().Match(text) is { Success: true } match ? match.Groups[1].Value : null;

    // A method, constructor, property, field or constant of that name: modifiers, a type, or both before it, then
    // its parameters, type arguments, body, expression or initializer. A call has neither before it.
    private static string Declaration(string member) =>
        $@"^[ \t]*(?:\[[^\]\r\n]*\][ \t]*)*(?:(?:(?:public|internal|private|protected|static|async|override|sealed|partial|readonly|virtual|abstract|new|required|const|extern|unsafe)[ \t]+)+(?:{TypeName}[ \t]+)?|(?!(?:return|await|throw|new|else|yield|using|case|goto|var)\b){TypeName}[ \t]+){member}[ \t]*(?:<[^>\r\n]*>)?[ \t]*(?:\(|\{{|=|;)";

    private const string TypeName = @"[\w<>\[\],.?]+(?:,[ \t]+[\w<>\[\],.?]+)*";

    private static string EnumMember(string member) => $@"^[ \t]*{member}[ \t]*(?:=[^\r\n,]*)?,?[ \t]*$";

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"^\s*(?:[-*]\s|\d+\.\s|#|\|)")]
    private static partial Regex BlockStart();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)\)|`(?<code>[^`]+)`")]
    private static partial Regex Token();

    [GeneratedRegex(@"^`([\w.-]+\.(?:cs|js|html|txt))`$")]
    private static partial Regex FileNameText();

    [GeneratedRegex(@"^(?<type>[A-Z]\w*)\.(?<member>[A-Z]\w*)$")]
    private static partial Regex MemberName();

    [GeneratedRegex(@"^- \*\*(?<part>[^*(]+?) \((?<count>\d+)\)\*\*: (?<names>.+)\.$")]
    private static partial Regex CountedPart();

    [GeneratedRegex(@"\*\*In all: (?<count>\d+) files\.\*\*")]
    private static partial Regex TotalCount();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*$")]
    private static partial Regex Heading();
}
