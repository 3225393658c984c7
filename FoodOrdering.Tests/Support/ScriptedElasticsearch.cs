using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A fake client transport for <see cref="ElasticsearchClient"/>, no server: each <c>_bulk</c> request is answered
/// per document id as the script says (an item status and error type), or as a whole with the script's request
/// status; every id sent is remembered. The client serializes and parses as against Elasticsearch.
/// </summary>
internal sealed class ScriptedElasticsearch(Func<string, (int Status, string? ErrorType)> item) : HttpMessageHandler
{
    public ConcurrentQueue<string> Sent { get; } = new();

    /// <summary>When set, the next bulk request is answered with this status as a whole, and it is cleared.</summary>
    public int? FailNextRequestWith { get; set; }

    public ElasticsearchClient Client() =>
        new(new ElasticsearchClientSettings(new SingleNodePool(new Uri("http://elasticsearch.test:9200")), new HttpRequestInvoker((_, _) => this)));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await BodyAsync(request, cancellationToken);
        var ids = body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .Where(line => line.ContainsKey("create"))
            .Select(line => (string)line["create"]!["_id"]!)
            .ToList();
        foreach (var id in ids)
        {
            Sent.Enqueue(id);
        }

        if (FailNextRequestWith is { } status)
        {
            FailNextRequestWith = null;
            return Answer((HttpStatusCode)status, new JsonObject { ["error"] = new JsonObject { ["type"] = "unavailable_shards_exception", ["reason"] = "scripted" }, ["status"] = status });
        }

        var items = new JsonArray();
        foreach (var id in ids)
        {
            var (itemStatus, errorType) = item(id);
            var answer = new JsonObject { ["_index"] = "foodordering-analytics", ["_id"] = id, ["status"] = itemStatus };
            if (errorType is null)
            {
                answer["result"] = "created";
            }
            else
            {
                answer["error"] = new JsonObject { ["type"] = errorType, ["reason"] = $"scripted {errorType}" };
            }

            items.Add(new JsonObject { ["create"] = answer });
        }

        return Answer(HttpStatusCode.OK, new JsonObject { ["took"] = 1, ["errors"] = ids.Any(id => item(id).ErrorType is not null), ["items"] = items });
    }

    // The client compresses its requests.
    private static async Task<string> BodyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return "";
        }

        await using var content = await request.Content.ReadAsStreamAsync(cancellationToken);
        await using var body = request.Content.Headers.ContentEncoding.Contains("gzip") ? new GZipStream(content, CompressionMode.Decompress) : content;
        using var reader = new StreamReader(body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, JsonObject body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        // The client refuses an answer that does not say it comes from Elasticsearch.
        response.Headers.Add("X-Elastic-Product", "Elasticsearch");
        return response;
    }
}
