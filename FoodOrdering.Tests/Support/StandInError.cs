namespace FoodOrdering.Tests.Support;

/// <summary>
/// An error as Elasticsearch 9 words it (status, <c>error.type</c>, <c>error.reason</c>), for
/// <see cref="ElasticsearchBulkStandIn"/> to answer with, on a bulk item or a whole request.
/// </summary>
internal sealed record StandInError(int Status, string Type, string Reason)
{
    public const string Role = "foodordering-indexer";

    /// <summary>400: the document does not fit the mapping, as Elasticsearch 9 names it.</summary>
    public static StandInError DocumentParsing(string id) => new(400, "document_parsing_exception",
        $"[1:42] failed to parse field [revenue] of type [scaled_float] in document with id '{id}'. Preview of field's value: 'lots'");

    /// <summary>400: a field the strict mapping does not have.</summary>
    public static StandInError StrictDynamicMapping(string id) => new(400, "strict_dynamic_mapping_exception",
        $"[1:2] mapping set to strict, dynamic introduction of [colour] within [_doc] is not allowed (document with id '{id}')");

    /// <summary>403 for a user whose roles lack every index privilege that grants <paramref name="action"/>.</summary>
    public static StandInError IndexActionDenied(string user, string action, string index, IEnumerable<string> grantedBy) => new(403, "security_exception",
        $"action [{action}] is unauthorized for user [{user}] with effective roles [{Role}] on indices [{index}], " +
        $"this action is granted by the index privileges [{string.Join(',', grantedBy)}]");

    /// <summary>403 for a user whose roles lack every cluster privilege that grants <paramref name="action"/>.</summary>
    public static StandInError ClusterActionDenied(string user, string action, IEnumerable<string> grantedBy) => new(403, "security_exception",
        $"action [{action}] is unauthorized for user [{user}] with effective roles [{Role}], " +
        $"this action is granted by the cluster privileges [{string.Join(',', grantedBy)}]");

    /// <summary>401: credentials Elasticsearch does not take.</summary>
    public static StandInError Unauthenticated(string user) => new(401, "security_exception",
        $"unable to authenticate user [{user}] for REST request [/_bulk]");

    /// <summary>404: the index does not exist and <c>action.auto_create_index</c> forbids creating it.</summary>
    public static StandInError IndexNotFound(string index) => new(404, "index_not_found_exception", $"no such index [{index}]");

    /// <summary>403: the index is read-only, as after the flood-stage disk watermark.</summary>
    public static StandInError ReadOnlyIndex(string index) => new(403, "cluster_block_exception",
        $"index [{index}] blocked by: [FORBIDDEN/8/index write (api)];");

    public static StandInError TooManyRequests() => new(429, "es_rejected_execution_exception", "rejected execution of coordinating operation (stand-in)");

    public static StandInError Unavailable() => new(503, "unavailable_shards_exception", "[foodordering-analytics][0] primary shard is not active (stand-in)");
}
