using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A <b>stand-in</b> for Elasticsearch's <c>_bulk</c> API, not Elasticsearch: an in-process Kestrel server on a free
/// loopback port that parses ndjson bulk bodies and keeps the documents by id (counting overwrites), answers
/// <c>PUT _index_template</c>, <c>_cluster/health</c> and <c>GET /</c>, and can be scripted to answer 429 storms,
/// 503 outages and item-level failures. It does no searching, mapping or refreshing.
/// </summary>
internal sealed class ElasticsearchBulkStandIn : IAsyncDisposable
{
    public const string User = "elastic";
    public const string Password = "stand-in-password";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attemptsById = new();
    private int _failNextRequests;
    private int _failNextStatus;
    private int _overwrites;
    private int _bulkRequests;
    private int _failedBulkRequests;

    private ElasticsearchBulkStandIn(WebApplication app) => _app = app;

    public Uri Endpoint => new(_app.Urls.First());

    /// <summary>What the AppHost hands the services: the URL with the <c>elastic</c> user's credentials.</summary>
    public string ConnectionString => $"http://{User}:{Password}@{Endpoint.Authority}";

    /// <summary>Every document by id, as the latest request sent it.</summary>
    public ConcurrentDictionary<string, JsonObject> Documents { get; } = new();

    /// <summary>Documents indexed under an id that already had one.</summary>
    public int Overwrites => Volatile.Read(ref _overwrites);

    public int BulkRequests => Volatile.Read(ref _bulkRequests);

    /// <summary>Bulk requests answered with a request-level failure (a storm or an outage).</summary>
    public int FailedBulkRequests => Volatile.Read(ref _failedBulkRequests);

    public ConcurrentDictionary<string, string> Templates { get; } = new();

    public string? LastAuthorization { get; private set; }

    /// <summary>While true every request gets 503, as from a cluster that is down behind its proxy.</summary>
    public bool Outage { get; set; }

    /// <summary>Decides an item's fate from its id and how often it was sent: null indexes it, a (status, error type) fails it.</summary>
    public Func<string, int, (int Status, string Type)?> ItemFailure { get; set; } = (_, _) => null;

    /// <summary>The next <paramref name="count"/> bulk requests are answered with <paramref name="status"/> as a whole.</summary>
    public void FailNextRequests(int count, int status)
    {
        Volatile.Write(ref _failNextStatus, status);
        Volatile.Write(ref _failNextRequests, count);
    }

    /// <param name="port">0 for a free port; a port of an earlier stand-in to bring "the same server" back.</param>
    public static async Task<ElasticsearchBulkStandIn> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new ElasticsearchBulkStandIn(app);
        app.Use(async (context, next) =>
        {
            standIn.LastAuthorization = context.Request.Headers.Authorization;
            // Elastic's clients look for this header to know they talk to Elasticsearch.
            context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
            if (standIn.Outage)
            {
                await WriteJsonAsync(context, 503, """{"error":{"type":"unavailable","reason":"stand-in outage"},"status":503}""");
                if (context.Request.Path.Value?.EndsWith("/_bulk", StringComparison.Ordinal) == true)
                {
                    Interlocked.Increment(ref standIn._bulkRequests);
                    Interlocked.Increment(ref standIn._failedBulkRequests);
                }

                return;
            }

            await next(context);
        });
        app.MapGet("/", (HttpContext context) => WriteJsonAsync(context, 200,
            """{"name":"stand-in","cluster_name":"stand-in","version":{"number":"9.5.3","build_flavor":"default"},"tagline":"You Know, for Search"}"""));
        app.MapGet("/_cluster/health", (HttpContext context) => WriteJsonAsync(context, 200,
            """{"cluster_name":"stand-in","status":"green","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1}"""));
        app.MapPut("/_index_template/{name}", async (string name, HttpContext context) =>
        {
            standIn.Templates[name] = await ReadBodyAsync(context.Request);
            await WriteJsonAsync(context, 200, """{"acknowledged":true}""");
        });
        app.MapPost("/_bulk", (HttpContext context) => standIn.BulkAsync(context, defaultIndex: null));
        app.MapPost("/{index}/_bulk", (string index, HttpContext context) => standIn.BulkAsync(context, index));
        await app.StartAsync();
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task BulkAsync(HttpContext context, string? defaultIndex)
    {
        Interlocked.Increment(ref _bulkRequests);
        if (Interlocked.Decrement(ref _failNextRequests) >= 0)
        {
            Interlocked.Increment(ref _failedBulkRequests);
            var status = Volatile.Read(ref _failNextStatus);
            await WriteJsonAsync(context, status, $$"""{"error":{"type":"es_rejected_execution_exception","reason":"stand-in storm"},"status":{{status}}}""");
            return;
        }

        var body = await ReadBodyAsync(context.Request);
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var items = new JsonArray();
        var errors = false;
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var action = JsonNode.Parse(lines[i])!.AsObject();
            var (operation, metadata) = action.Single();
            var index = metadata?["_index"]?.GetValue<string>() ?? defaultIndex ?? "";
            var id = metadata?["_id"]?.GetValue<string>() ?? Guid.NewGuid().ToString("N");
            var attempt = _attemptsById.AddOrUpdate(id, 1, (_, count) => count + 1);
            var result = new JsonObject { ["_index"] = index, ["_id"] = id };
            if (ItemFailure(id, attempt) is { } failure)
            {
                errors = true;
                result["status"] = failure.Status;
                result["error"] = new JsonObject { ["type"] = failure.Type, ["reason"] = $"stand-in refused {id} with {failure.Type}" };
            }
            else
            {
                var source = JsonNode.Parse(lines[i + 1])!.AsObject();
                var created = true;
                Documents.AddOrUpdate(id, source, (_, _) =>
                {
                    created = false;
                    return source;
                });
                if (!created)
                {
                    Interlocked.Increment(ref _overwrites);
                }

                result["status"] = created ? 201 : 200;
                result["result"] = created ? "created" : "updated";
                result["_version"] = 1;
                result["_seq_no"] = 0;
                result["_primary_term"] = 1;
                result["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["failed"] = 0 };
            }

            items.Add(new JsonObject { [operation] = result });
        }

        var response = new JsonObject { ["took"] = 1, ["errors"] = errors, ["items"] = items };
        await WriteJsonAsync(context, 200, response.ToJsonString());
    }

    // Elastic's transport gzips request bodies by default, as Elasticsearch accepts.
    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        var body = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(request.Body, CompressionMode.Decompress)
            : request.Body;
        using var reader = new StreamReader(body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }
}
