using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace FoodOrdering.AppHost.Containers;

/// <summary>The <c>Containers</c> section: how containers mode sets up its containers.</summary>
internal sealed class ContainersOptions
{
    public const string SectionName = "Containers";

    /// <summary>Keeps Kafka's and Elasticsearch's data in named volumes across runs (always, when published).</summary>
    public bool PersistData { get; set; }

    public static ContainersOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<ContainersOptions>() ?? new ContainersOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }
}
