using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Producer.Generator;

internal sealed class OrderGeneratorOptions
{
    public const string SectionName = SettingsSections.OrderGenerator;

    /// <summary>
    /// Whether the generator runs when the service starts: off unless configured (appsettings.Development.json
    /// turns it on), so a deployed Producer publishes only real orders until an operator starts it.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>Orders per second; fractions allowed. The default, one every two seconds, is the original demo's pace.</summary>
    [Range(0.001, 100_000)]
    public double OrdersPerSecond { get; set; } = 0.5;

    /// <summary>How many orders to generate before stopping; 0 means no limit.</summary>
    [Range(0, int.MaxValue)]
    public int Limit { get; set; }

    /// <summary>Makes the generated orders repeatable (same customers, items and ids) when set.</summary>
    public int? Seed { get; set; }
}
