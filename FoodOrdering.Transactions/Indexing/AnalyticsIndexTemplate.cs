using Elastic.Clients.Elasticsearch;
using Elastic.Transport;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// The index and its template with explicit mappings (<c>analytics-index-template.json</c>, embedded). Putting a
/// template is idempotent, so it is put at every start: a changed mapping applies to indices created after it.
/// </summary>
internal static class AnalyticsIndexTemplate
{
    public const string IndexName = "foodordering-analytics";
    public const string TemplateName = "foodordering-analytics";

    public static string Json { get; } = ReadTemplate();

    /// <summary>Puts the template; throws when Elasticsearch does not accept it (the caller retries).</summary>
    public static async Task PutAsync(ElasticsearchClient client, CancellationToken cancellationToken)
    {
        var response = await client.Transport.PutAsync<StringResponse>($"/_index_template/{TemplateName}", PostData.String(Json), cancellationToken);
        if (!response.ApiCallDetails.HasSuccessfulStatusCode)
        {
            throw new ElasticsearchRequestException(
                $"PUT _index_template/{TemplateName} failed", response.ApiCallDetails.HttpStatusCode, response.ApiCallDetails.OriginalException);
        }
    }

    private static string ReadTemplate()
    {
        using var stream = typeof(AnalyticsIndexTemplate).Assembly.GetManifestResourceStream("FoodOrdering.Transactions.Indexing.analytics-index-template.json")
            ?? throw new InvalidOperationException("The embedded index template is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
