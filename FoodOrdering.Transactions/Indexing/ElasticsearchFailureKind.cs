namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// What failed when Elasticsearch did not take a document or a request. Only <see cref="DocumentFault"/> is the
/// document's: every other kind is the cluster's, or the way to it, and the same document is taken once it is put right.
/// </summary>
internal enum ElasticsearchFailureKind
{
    /// <summary>The document does not fit the index (400 <c>document_parsing_exception</c> and the like): dead-lettered.</summary>
    DocumentFault,

    /// <summary>401 or 403 <c>security_exception</c>: credentials refused, or a privilege missing.</summary>
    AccessRefused,

    /// <summary>404 <c>index_not_found_exception</c>: the index does not exist and may not be created.</summary>
    IndexMissing,

    /// <summary><c>cluster_block_exception</c> or a closed index: a read-only index, a full disk, no elected master.</summary>
    Blocked,

    /// <summary>429 or 5xx: overloaded, or a shard not available.</summary>
    Unavailable,

    /// <summary>No answer at all: refused connection, timeout, DNS.</summary>
    Unreachable,

    /// <summary>Any other answer, which is not known to be the document's fault.</summary>
    Unexpected,
}
