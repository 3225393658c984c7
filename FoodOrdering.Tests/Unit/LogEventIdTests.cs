using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Tests.Unit;

/// <summary>
/// The event ids of every <c>[LoggerMessage]</c> in the shipped assemblies against the one table of ranges and the
/// list of events in docs/observability.md: an id names one message across the system, since a service logs its own
/// events beside the shared Kafka and ServiceDefaults ones.
/// </summary>
public sealed partial class LogEventIdTests
{
    private const string Page = "docs/observability.md";

    [Fact]
    public void EveryShippedAssemblyWithLogMessagesHasARange()
    {
        var ranged = Ranges().Select(range => range.Project).ToHashSet(StringComparer.Ordinal);

        var unranged = ShippedAssemblies.All()
            .Where(assembly => LogMessages(assembly).Any() && !ranged.Contains(assembly.GetName().Name!))
            .Select(assembly => assembly.GetName().Name)
            .ToList();

        Assert.True(unranged.Count == 0, $"no event id range in {Page} for: {string.Join(", ", unranged)}");
        Assert.Contains("FoodOrdering.Kafka", ranged);
    }

    [Fact]
    public void RangesDoNotOverlap()
    {
        var ranges = Ranges().OrderBy(range => range.First).ToList();

        var overlaps = ranges.Zip(ranges.Skip(1))
            .Where(pair => pair.Second.First <= pair.First.Last)
            .Select(pair => $"{pair.First} and {pair.Second}")
            .ToList();

        Assert.True(overlaps.Count == 0, "overlapping event id ranges:\n" + string.Join('\n', overlaps));
    }

    [Fact]
    public void EveryEventIdIsInARangeOfItsOwnProject()
    {
        var ranges = Ranges();

        var strays = AllLogMessages()
            .Where(message => !ranges.Any(range => range.Project == message.Project && range.First <= message.Id && message.Id <= range.Last))
            .Select(message => $"{message.Id} {message.Project} {message.Where}")
            .ToList();

        Assert.True(strays.Count == 0, $"event ids outside their project's ranges in {Page}:\n" + string.Join('\n', strays));
    }

    [Fact]
    public void NoTwoLogMessagesShareAnEventId()
    {
        var messages = AllLogMessages();

        var shared = messages.GroupBy(message => message.Id).Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(message => $"{message.Project} {message.Where}"))}")
            .ToList();

        Assert.True(shared.Count == 0, "event ids used more than once:\n" + string.Join('\n', shared));
        Assert.True(messages.Count > 50, "the scan found too few [LoggerMessage] methods to be looking in the right place");
    }

    [Fact]
    public void TheDocumentedEventListIsTheOneInTheCode()
    {
        var documented = Section(File.ReadAllText(KestrelService.RepositoryPath(Page)), EventListStart, EventListEnd);
        var expected = EventList(AllLogMessages());

        Assert.True(documented == expected, $"the event list in {Page} is not the code's; between its markers it should read:\n{expected}");
    }

    private const string EventListStart = "<!-- log events: begin (checked by LogEventIdTests) -->";
    private const string EventListEnd = "<!-- log events: end -->";

    private static string EventList(IEnumerable<LogMessage> messages)
    {
        var text = new StringBuilder("\n\n| id | project | level | message |\n| ---: | --- | --- | --- |\n");
        foreach (var message in messages.OrderBy(message => message.Id))
        {
            text.Append($"| {message.Id} | {message.Project["FoodOrdering.".Length..]} | {message.Level} | {Cell(message.Text)} |\n");
        }

        return text.Append('\n').ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Section(string page, string start, string end)
    {
        var from = page.IndexOf(start, StringComparison.Ordinal);
        var to = page.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"{Page} has no event list between {start} and {end}");
        return page[(from + start.Length)..to];
    }

    private static List<IdRange> Ranges()
    {
        var ranges = RangeRow().Matches(File.ReadAllText(KestrelService.RepositoryPath(Page)))
            .Select(row => new IdRange(
                int.Parse(row.Groups["first"].Value, CultureInfo.InvariantCulture),
                int.Parse(row.Groups["last"].Value, CultureInfo.InvariantCulture),
                row.Groups["project"].Value,
                row.Groups["area"].Value))
            .ToList();
        Assert.True(ranges.Count > 0, $"{Page} has no table of event id ranges");
        return ranges;
    }

    private static List<LogMessage> AllLogMessages() => [.. ShippedAssemblies.All().SelectMany(LogMessages)];

    private static IEnumerable<LogMessage> LogMessages(Assembly assembly) =>
        from type in ShippedAssemblies.Types(assembly)
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select new LogMessage(attribute.EventId, assembly.GetName().Name!, $"{type.Name}.{method.Name}",
            attribute.Level == LogLevel.None ? "as called" : attribute.Level.ToString(), attribute.Message);

    // A row of the ranges table: | 1000–1099 | FoodOrdering.Kafka | the consume loop |
    [GeneratedRegex(@"^\| (?<first>\d+)–(?<last>\d+) \| (?<project>FoodOrdering(?:\.\w+)+) \| (?<area>[^|]+) \|$", RegexOptions.Multiline)]
    private static partial Regex RangeRow();

    private sealed record IdRange(int First, int Last, string Project, string Area)
    {
        public override string ToString() => $"{First}–{Last} {Project} ({Area.Trim()})";
    }

    private sealed record LogMessage(int Id, string Project, string Where, string Level, string Text);
}
