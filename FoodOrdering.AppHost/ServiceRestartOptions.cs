using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.AppHost;

/// <summary>The <c>ServiceRestarts</c> section: how often the AppHost starts a crashed service again (<see cref="CrashedServiceRestarter"/>).</summary>
internal sealed class ServiceRestartOptions
{
    public const string SectionName = "ServiceRestarts";

    /// <summary>Restarts of one service within <see cref="Window"/>; 0 restarts nothing.</summary>
    [Range(0, 100)]
    public int MaxRestarts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}
