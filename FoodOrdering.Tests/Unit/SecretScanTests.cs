using System.Text.RegularExpressions;

namespace FoodOrdering.Tests.Unit;

/// <summary>
/// Secrets reach the services only as Aspire parameters, user secrets or environment variables: nothing in the
/// repository may look like one.
/// </summary>
public sealed partial class SecretScanTests
{
    private static readonly string[] SkippedDirectories = ["bin", "obj", ".git", "node_modules", "results"];
    private static readonly string[] ScannedExtensions = [".cs", ".json", ".md", ".props", ".csproj", ".js", ".html", ".ndjson", ".yml", ".yaml", ".sh", ""];

    [Fact]
    public void NoFileInTheRepositoryHoldsACredential()
    {
        var root = RepositoryRoot();
        var findings = new List<string>();
        foreach (var file in Files(root))
        {
            var relative = Path.GetRelativePath(root, file);
            var text = File.ReadAllText(file);
            foreach (Match match in Secret().Matches(text))
            {
                // Tests may use obvious stand-ins; nothing else may name a literal password or key.
                var isTest = relative.StartsWith("FoodOrdering.Tests", StringComparison.Ordinal);
                if (!(isTest && match.Groups["value"].Success))
                {
                    findings.Add($"{relative}: {match.Value}");
                }
            }
        }

        Assert.True(findings.Count == 0, "Credential-looking text:\n" + string.Join('\n', findings));
        Assert.True(Files(root).Count() > 50, "the scan did not find the repository's files");
    }

    // Private keys, AWS access keys, literal passwords or API keys in connection strings (Password=…;), and
    // non-empty JSON properties named like a secret. Placeholders (…, {…}, <…>, $(…)) are not values.
    [GeneratedRegex("""
        -----BEGIN[A-Z ]*PRIVATE\ KEY-----
        | AKIA[0-9A-Z]{16}
        | (?i:password|pwd|apikey|api_key)=(?<value>[^;"'`\s{<…$]{3,})
        | "(?i:[a-z_.]*(?:password|secret|apikey|api_key|token))"\s*:\s*"(?<value>[^"…{<$][^"]*)"
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Secret();

    private static IEnumerable<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar).Any(part => SkippedDirectories.Contains(part)))
            .Where(file => ScannedExtensions.Contains(Path.GetExtension(file)));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FoodOrdering.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("FoodOrdering.sln not found above the test output");
    }
}
