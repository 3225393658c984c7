using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.TopicProvisioner;

/// <summary>
/// The <c>TopicProvisioning</c> section: how every topic of <see cref="Contracts.Topics.All"/> is created. The
/// defaults suit the one-broker Kafka the AppHost runs; a cluster of three or more takes
/// <c>ReplicationFactor 3</c> and <c>MinInSyncReplicas 2</c>, so an acknowledged order survives the loss of a broker.
/// </summary>
internal sealed class TopicProvisioningOptions : IValidatableObject
{
    public const string SectionName = SettingsSections.TopicProvisioning;

    /// <summary>The brokers to create the topics on: <c>ConnectionStrings:kafka</c>.</summary>
    [Required(ErrorMessage = $"The Kafka connection string (ConnectionStrings:{ConnectionNames.Kafka}) is required.")]
    public string? BootstrapServers { get; set; }

    /// <summary>Partitions of every topic: the most consumers of one group that can work at once.</summary>
    [Range(1, 10_000)]
    public int Partitions { get; set; } = 3;

    /// <summary>Copies of every partition; at most the number of brokers.</summary>
    [Range(1, 16)]
    public short ReplicationFactor { get; set; } = 1;

    /// <summary>
    /// <c>min.insync.replicas</c>: copies that must have a record before an <c>acks=all</c> producer (every producer
    /// here) is told it is stored. At most <see cref="ReplicationFactor"/>.
    /// </summary>
    [Range(1, 16)]
    public int MinInSyncReplicas { get; set; } = 1;

    /// <summary><c>retention.ms</c>: how long records are kept, consumed or not.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long provisioning may take, retries while the brokers start included, before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinInSyncReplicas > ReplicationFactor)
        {
            yield return new ValidationResult(
                $"MinInSyncReplicas ({MinInSyncReplicas}) must not exceed ReplicationFactor ({ReplicationFactor}): no acks=all write could succeed.",
                [nameof(MinInSyncReplicas), nameof(ReplicationFactor)]);
        }
    }
}
