using System.Globalization;

namespace FoodOrdering.Benchmarks;

/// <summary>The command line, parsed: <c>--orders N --scenario transactions|emails|api|streaming|sweep|soak|all --hosting inprocess|process --rate N --output path.json</c>.</summary>
internal sealed record BenchmarkOptions(
    int Orders,
    IReadOnlyList<string> Scenarios,
    ServiceHosting Hosting,
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
    public const string Streaming = "streaming";
    public const string Sweep = "sweep";
    public const string Soak = "soak";

    /// <summary>The offered rates of the <c>sweep</c> scenario, in order; it stops early once p99 passes <see cref="Scenarios.SweepStopRule.P99Limit"/>.</summary>
    public IReadOnlyList<int> SweepRates { get; init; } = [1_000, 5_000, 10_000, 20_000, 50_000, 100_000];

    public TimeSpan SoakDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Orders/s of the soak: the rate of the AppHost observation (1,000 orders every 5 s).</summary>
    public int SoakRate { get; init; } = 200;

    public TimeSpan SoakSampleInterval { get; init; } = TimeSpan.FromSeconds(5);

    public const string Usage = """
        dotnet run -c Release --project bench/FoodOrdering.Benchmarks -- [options]
          --orders N           orders per scenario (default 200000)
          --scenario S         transactions | emails | api | streaming | sweep | soak | all (default all: the first four)
          --hosting H          inprocess: the services' registrations in this process (default);
                               process: each service as its own process (its Release build), the broker in this one
          --bootstrap H:P      use this Kafka cluster (empty topics, created beforehand) instead of the embedded broker
          --rate N             orders/s of the steady-rate latency phase (default 2000)
          --email-rate N       emails/s of the emails scenario's steady-rate phase (default 1000)
          --rate-seconds N     length of the steady-rate phase and of each sweep step (default 15)
          --clients N          concurrent HTTP clients of the api scenario (default 64)
          --sweep R1,R2,...    the sweep scenario's offered rates in orders/s (default 1000,5000,10000,20000,50000,100000);
                               implies --scenario sweep; it stops after the first rate whose p99 passes 1 s
          --soak-minutes N     length of the soak scenario (default 5); implies --scenario soak --hosting process
          --soak-rate N        orders/s the soak posts to the order API (default 200)
          --soak-sample-seconds N  how often the soak samples each service's memory (default 5)
          --partitions N       partitions per topic on the embedded broker (default: 3, as the AppHost, or more
                               when the preload would not fit in the mock broker's 5 MiB per partition)
          --seed N             seed of the order generator (default 42)
          --output PATH        JSON results (default bench/results/latest.json)
          --set KEY=VALUE      a service setting, e.g. --set OrderProcessing:MaxBatchSize=2000 (repeatable)
        """;

    private static readonly string[] AllScenarios = [Transactions, Emails, Api, Streaming];

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions(200_000, AllScenarios, ServiceHosting.InProcess, null, 2_000, 1_000, TimeSpan.FromSeconds(15), 64, null, 42,
            Path.Combine("bench", "results", "latest.json"), new Dictionary<string, string?>());
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var scenarioGiven = false;
        var hostingGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            options = name switch
            {
                "--orders" => options with { Orders = Positive(name, value) },
                "--scenario" => options with { Scenarios = ParseScenario(value) },
                "--hosting" => options with { Hosting = ParseHosting(value) },
                "--bootstrap" => options with { Bootstrap = value },
                "--rate" => options with { Rate = Positive(name, value) },
                "--email-rate" => options with { EmailRate = Positive(name, value) },
                "--rate-seconds" => options with { RateDuration = TimeSpan.FromSeconds(Positive(name, value)) },
                "--clients" => options with { ApiClients = Positive(name, value) },
                "--partitions" => options with { Partitions = Positive(name, value) },
                "--seed" => options with { Seed = Positive(name, value) },
                "--sweep" => options with { SweepRates = ParseRates(name, value) },
                "--soak-minutes" => options with { SoakDuration = TimeSpan.FromMinutes(PositiveNumber(name, value)) },
                "--soak-rate" => options with { SoakRate = Positive(name, value) },
                "--soak-sample-seconds" => options with { SoakSampleInterval = TimeSpan.FromSeconds(PositiveNumber(name, value)) },
                "--output" => options with { Output = value },
                "--set" => AddSetting(options, settings, value),
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
            scenarioGiven |= name == "--scenario";
            hostingGiven |= name == "--hosting";
            if (!scenarioGiven && name is "--sweep" or "--soak-minutes")
            {
                options = options with { Scenarios = [name == "--sweep" ? Sweep : Soak] };
            }
        }

        // The soak's point is each service's own memory, which only its own process shows.
        if (options.Scenarios.Contains(Soak) && !hostingGiven)
        {
            options = options with { Hosting = ServiceHosting.Process };
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
        Transactions or Emails or Api or Streaming or Sweep or Soak => [value],
        _ => throw new ArgumentException($"--scenario is transactions, emails, api, streaming, sweep, soak or all, not '{value}'."),
    };

    private static ServiceHosting ParseHosting(string value) => value switch
    {
        "inprocess" => ServiceHosting.InProcess,
        "process" => ServiceHosting.Process,
        _ => throw new ArgumentException($"--hosting is inprocess or process, not '{value}'."),
    };

    private static IReadOnlyList<int> ParseRates(string name, string value)
    {
        var rates = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(rate => Positive(name, rate)).ToList();
        return rates.Count > 0 && rates.SequenceEqual(rates.Order())
            ? rates
            : throw new ArgumentException($"{name} takes rising rates separated by commas, e.g. 1000,5000,10000, not '{value}'.");
    }

    private static double PositiveNumber(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && double.IsFinite(number)
            ? number
            : throw new ArgumentException($"{name} takes a positive number, not '{value}'.");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} takes a positive whole number, not '{value}'.");
}
