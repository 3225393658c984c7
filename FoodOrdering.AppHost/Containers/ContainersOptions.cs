using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace FoodOrdering.AppHost.Containers;

/// <summary>The <c>Containers</c> section: how containers mode sets up its containers.</summary>
internal sealed class ContainersOptions
{
    public const string SectionName = "Containers";

    /// <summary>Partitions of every topic, created once Kafka is healthy.</summary>
    [Range(1, 256)]
    public int KafkaPartitions { get; set; } = 3;

    /// <summary>How long creating the topics may take, retries included, before the AppHost reports Kafka failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TopicCreationTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Keeps Kafka's data in a named volume across runs.</summary>
    public bool PersistData { get; set; }

    public static ContainersOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<ContainersOptions>() ?? new ContainersOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }
}
