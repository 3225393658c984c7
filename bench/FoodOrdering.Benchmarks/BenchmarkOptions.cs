using System.Globalization;

namespace FoodOrdering.Benchmarks;

/// <summary>The command line, parsed: <c>--orders N --scenario transactions|emails|api|all --bootstrap host:port --rate N --output path.json</c>.</summary>
internal sealed record BenchmarkOptions(
    int Orders,
    IReadOnlyList<string> Scenarios,
    string? Bootstrap,
    int Rate,
    int EmailRate,
    TimeSpan RateDuration,
    int ApiClients,
    int? Partitions,
    int Seed,
    string Output,
    IReadOnlyDictionary<string, string?> Settings)
{
    public const string Transactions = "transactions";
    public const string Emails = "emails";
    public const string Api = "api";

    public const string Usage = """
        dotnet run -c Release --project bench/FoodOrdering.Benchmarks -- [options]
          --orders N           orders per scenario (default 200000)
          --scenario S         transactions | emails | api | all (default all)
          --bootstrap H:P      use this Kafka cluster (empty topics, created beforehand) instead of the embedded broker
          --rate N             orders/s of the steady-rate latency phase (default 2000)
          --email-rate N       emails/s of the emails scenario's steady-rate phase (default 1000)
          --rate-seconds N     length of the steady-rate phase (default 15)
          --clients N          concurrent HTTP clients of the api scenario (default 64)
          --partitions N       partitions per topic on the embedded broker (default: 3, as the AppHost, or more
                               when the preload would not fit in the mock broker's 5 MiB per partition)
          --seed N             seed of the order generator (default 42)
          --output PATH        JSON results (default bench/results/latest.json)
          --set KEY=VALUE      a service setting, e.g. --set OrderProcessing:MaxBatchSize=2000 (repeatable)
        """;

    private static readonly string[] AllScenarios = [Transactions, Emails, Api];

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions(200_000, AllScenarios, null, 2_000, 1_000, TimeSpan.FromSeconds(15), 64, null, 42,
            Path.Combine("bench", "results", "latest.json"), new Dictionary<string, string?>());
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            options = name switch
            {
                "--orders" => options with { Orders = Positive(name, value) },
                "--scenario" => options with { Scenarios = ParseScenario(value) },
                "--bootstrap" => options with { Bootstrap = value },
                "--rate" => options with { Rate = Positive(name, value) },
                "--email-rate" => options with { EmailRate = Positive(name, value) },
                "--rate-seconds" => options with { RateDuration = TimeSpan.FromSeconds(Positive(name, value)) },
                "--clients" => options with { ApiClients = Positive(name, value) },
                "--partitions" => options with { Partitions = Positive(name, value) },
                "--seed" => options with { Seed = Positive(name, value) },
                "--output" => options with { Output = value },
                "--set" => AddSetting(options, settings, value),
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }

        return options with { Settings = settings };
    }

    private static BenchmarkOptions AddSetting(BenchmarkOptions options, Dictionary<string, string?> settings, string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"--set takes KEY=VALUE, not '{value}'.");
        }

        settings[value[..equals]] = value[(equals + 1)..];
        return options;
    }

    private static IReadOnlyList<string> ParseScenario(string value) => value switch
    {
        "all" => AllScenarios,
        Transactions or Emails or Api => [value],
        _ => throw new ArgumentException($"--scenario is transactions, emails, api or all, not '{value}'."),
    };

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} takes a positive whole number, not '{value}'.");
}
