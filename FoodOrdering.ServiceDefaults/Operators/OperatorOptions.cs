using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Operators;

public sealed class OperatorOptions
{
    public const string SectionName = SettingsSections.Operator;

    /// <summary>
    /// The key the operator endpoints require in <see cref="OperatorAccess.ApiKeyHeader"/> (the AppHost passes its
    /// secret parameter <c>operator-api-key</c>). Unset, they are open in Development and closed everywhere else.
    /// </summary>
    [MinLength(16)]
    public string? ApiKey { get; set; }

    /// <summary>Operator requests one client (by remote IP address) may make per minute; more get 429.</summary>
    [Range(1, 10_000)]
    public int RequestsPerMinute { get; set; } = 30;
}
