namespace FoodOrdering.Transactions.Indexing;

/// <summary>A request Elasticsearch did not answer, or answered with a status that says "try again".</summary>
internal sealed class ElasticsearchRequestException(string message, int? statusCode, Exception? innerException = null)
    : Exception(statusCode is { } status ? $"{message}: HTTP {status}" : $"{message}: {innerException?.Message ?? "no response"}", innerException)
{
    public int? StatusCode { get; } = statusCode;
}
