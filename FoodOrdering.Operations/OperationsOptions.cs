using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Operations;

/// <summary>How much of the cluster the console shows at once, and how far it re-drives.</summary>
internal sealed class OperationsOptions
{
    public const string SectionName = SettingsSections.Operations;

    /// <summary>A record's value is shown up to this many bytes; the rest is cut, and the answer says so.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxValueBytes { get; set; } = 64 * 1024;

    /// <summary>Each header's value is shown up to this many bytes.</summary>
    [Range(64, 1024 * 1024)]
    public int MaxHeaderBytes { get; set; } = 4 * 1024;

    /// <summary>Records on one page when the request does not say.</summary>
    [Range(1, MaxPageSize)]
    public int PageSize { get; set; } = 50;

    /// <summary>
    /// Re-drives of one order after which it is no longer re-driven by a group action: it keeps coming back, so its
    /// cause is not passing.
    /// </summary>
    [Range(1, 100)]
    public int RedriveLimit { get; set; } = 3;

    /// <summary>
    /// Records the order index holds, the newest ones: finding an order by id searches these, and says from which
    /// offset of each partition it searched once older ones have left it. Memory grows with it (bench/README.md).
    /// </summary>
    [Range(1_000, 20_000_000)]
    public int OrderIndexCapacity { get; set; } = 1_000_000;

    /// <summary>
    /// Finds where a time starts by reading each partition rather than asking the broker (ListOffsets by timestamp),
    /// for a broker that cannot answer that: librdkafka's mock cluster answers every such lookup with "no offset".
    /// The record browser then reads up to the time; the live analytics read each partition from its start and leave
    /// out older records by their own times.
    /// </summary>
    public bool FindTimesByReading { get; set; }

    /// <summary>
    /// Asks the cluster for its consumer groups (ListGroups). Off, the console knows the pipeline's own groups and any
    /// group asked for by name that has committed offsets: librdkafka's mock cluster fails its client on ListGroups.
    /// </summary>
    public bool ListConsumerGroups { get; set; } = true;

    /// <summary>The largest page a request may ask for.</summary>
    public const int MaxPageSize = 500;
}
