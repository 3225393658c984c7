using System.Collections.Frozen;
using System.Globalization;
using Elastic.Transport;
using Elastic.Transport.Products.Elasticsearch;
using ItemErrorCause = Elastic.Clients.Elasticsearch.ErrorCause;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// Why Elasticsearch did not take a document (a bulk item's <c>status</c> and <c>error</c>) or a whole request,
/// classified by what failed (<see cref="ElasticsearchFailureKind"/>) from the status and Elasticsearch's error type,
/// never from the reason's wording.
/// </summary>
internal sealed record ElasticsearchFailure(ElasticsearchFailureKind Kind, int? Status, string Type, string Reason)
{
    /// <summary>
    /// The 400 error types that are about the document itself. Elasticsearch 9 says document_parsing_exception
    /// (a value its field's type cannot take) and strict_dynamic_mapping_exception (a field the strict mapping lacks);
    /// earlier versions said mapper_parsing_exception for the first. illegal_argument_exception is what a document gets
    /// for, among others, a keyword value over 32 KB.
    /// </summary>
    private static readonly FrozenSet<string> DocumentFaultTypes = FrozenSet.Create(StringComparer.Ordinal,
        "document_parsing_exception",
        "strict_dynamic_mapping_exception",
        "mapper_parsing_exception",
        "illegal_argument_exception");

    public bool IsDocumentFault => Kind == ElasticsearchFailureKind.DocumentFault;

    public static ElasticsearchFailure OfItem(int status, ItemErrorCause? error) =>
        Classify(status, error?.Type, WithCause(error?.Reason, error?.CausedBy?.Type, error?.CausedBy?.Reason));

    /// <summary>A request that did not succeed as a whole, from its call details (status and Elasticsearch's error body).</summary>
    public static ElasticsearchFailure OfRequest(ApiCallDetails details)
    {
        if (details.HttpStatusCode is not { } status)
        {
            return new ElasticsearchFailure(ElasticsearchFailureKind.Unreachable, null, "no_response",
                details.OriginalException?.Message ?? "Elasticsearch did not answer");
        }

        var error = (details.ProductError as ElasticsearchServerError)?.Error;
        return Classify(status, error?.Type, WithCause(error?.Reason, error?.CausedBy?.Type, error?.CausedBy?.Reason));
    }

    public static ElasticsearchFailure Unreachable(Exception exception) =>
        new(ElasticsearchFailureKind.Unreachable, null, "no_response", exception.Message);

    /// <summary>One sentence for a log or a health description: what failed, what would fix it, and Elasticsearch's own words.</summary>
    public string Describe()
    {
        var answer = Status is { } status ? $"{status.ToString(CultureInfo.InvariantCulture)} {Type}: {Reason}" : Reason;
        return Kind switch
        {
            ElasticsearchFailureKind.AccessRefused when SecurityRefusal.Parse(Reason) is { } refusal => $"{refusal} ({answer})",
            ElasticsearchFailureKind.AccessRefused => $"access refused: check the credentials and their privileges ({answer})",
            ElasticsearchFailureKind.IndexMissing => $"the index does not exist and may not be created: create it, or allow its auto-creation (action.auto_create_index) ({answer})",
            ElasticsearchFailureKind.Blocked => $"the cluster blocks writes: a read-only index, a full disk or no elected master ({answer})",
            ElasticsearchFailureKind.Unavailable => $"Elasticsearch is overloaded or unavailable ({answer})",
            ElasticsearchFailureKind.Unreachable => $"no answer from Elasticsearch ({answer})",
            ElasticsearchFailureKind.Unexpected => $"an answer that is not known to be the document's fault ({answer})",
            _ => answer,
        };
    }

    public override string ToString() => Describe();

    private static ElasticsearchFailure Classify(int status, string? type, string? reason)
    {
        type ??= $"http_{status.ToString(CultureInfo.InvariantCulture)}";
        var kind = type switch
        {
            _ when status == 400 && DocumentFaultTypes.Contains(type) => ElasticsearchFailureKind.DocumentFault,
            // Blocks come as 403, 429 or 503; a 403 block is not a missing privilege.
            "cluster_block_exception" or "index_closed_exception" => ElasticsearchFailureKind.Blocked,
            _ when status is 401 or 403 => ElasticsearchFailureKind.AccessRefused,
            _ when status == 404 => ElasticsearchFailureKind.IndexMissing,
            _ when status is 429 or >= 500 => ElasticsearchFailureKind.Unavailable,
            _ => ElasticsearchFailureKind.Unexpected,
        };
        return new ElasticsearchFailure(kind, status, type, reason ?? "no reason given");
    }

    private static string? WithCause(string? reason, string? causeType, string? causeReason) =>
        causeType is null ? reason : $"{reason}; caused by {causeType}: {causeReason}";
}
