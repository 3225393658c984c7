using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A <b>stand-in</b> for Elasticsearch's <c>_bulk</c> API, not Elasticsearch: an in-process Kestrel server on a free
/// loopback port that parses ndjson bulk bodies and keeps the documents by id, answers <c>PUT _index_template</c>,
/// <c>_cluster/health</c> and <c>GET /</c>, and answers as Elasticsearch 9 words it: <c>create</c> of an id that
/// exists is a 409 <c>version_conflict_engine_exception</c> (<c>index</c> overwrites, counted); a user without the
/// privilege an action needs gets a 403 <c>security_exception</c> naming the privileges that would grant it
/// (<see cref="IndexPrivileges"/>, <see cref="ClusterPrivileges"/>); a missing index is created on the first write
/// unless <see cref="AutoCreateIndex"/> is off (404 <c>index_not_found_exception</c>). It can be scripted into 429
/// storms, 503 outages and any per-item error (<see cref="ItemFailure"/>), and served under a path prefix, as behind
/// a proxy. It does no searching, mapping or refreshing.
/// </summary>
internal sealed class ElasticsearchBulkStandIn : IAsyncDisposable
{
    public const string User = "elastic";
    public const string Password = "stand-in-password";

    private static readonly string[] CreateGrantedBy = ["create_doc", "create", "index", "write", "all"];
    private static readonly string[] IndexGrantedBy = ["index", "write", "all"];
    private static readonly string[] AutoCreateGrantedBy = ["auto_configure", "create_index", "manage", "all"];
    private static readonly string[] TemplateGrantedBy = ["manage_index_templates", "manage", "all"];
    private static readonly string[] MonitorGrantedBy = ["monitor", "manage", "all"];

    private readonly WebApplication _app;
    private readonly string _pathBase;
    private readonly ConcurrentDictionary<string, int> _sendsById = new();
    private readonly ConcurrentDictionary<string, byte> _indices = new();
    private int _failNextRequests;
    private int _failNextStatus;
    private int _overwrites;
    private int _conflicts;
    private int _bulkRequests;
    private int _failedBulkRequests;

    private ElasticsearchBulkStandIn(WebApplication app, string pathBase)
    {
        _app = app;
        _pathBase = pathBase;
    }

    /// <summary>The cluster's URL, with the path prefix if there is one.</summary>
    public Uri Endpoint => new($"{_app.Urls.First()}{_pathBase}/");

    /// <summary>What the AppHost hands the services: the URL with the <c>elastic</c> user's credentials.</summary>
    public string ConnectionString => $"http://{User}:{Password}@{Endpoint.Authority}{_pathBase}/";

    /// <summary>Every document by id, as the request that stored it sent it.</summary>
    public ConcurrentDictionary<string, JsonObject> Documents { get; } = new();

    /// <summary>Documents indexed (op <c>index</c>) under an id that already had one.</summary>
    public int Overwrites => Volatile.Read(ref _overwrites);

    /// <summary>Documents sent with op <c>create</c> under an id that already had one, answered 409.</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    public int BulkRequests => Volatile.Read(ref _bulkRequests);

    /// <summary>Bulk requests answered with a request-level failure (a storm or an outage).</summary>
    public int FailedBulkRequests => Volatile.Read(ref _failedBulkRequests);

    public ConcurrentDictionary<string, string> Templates { get; } = new();

    /// <summary>Every request as it arrived (<c>PUT /es/_index_template/…</c>), prefix included.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public string? LastAuthorization { get; private set; }

    /// <summary>While true every request gets 503, as from a cluster that is down behind its proxy.</summary>
    public bool Outage { get; set; }

    /// <summary>Decides an item's fate from its id and how often it was sent: null goes on as usual, an error fails it.</summary>
    public Func<string, int, StandInError?> ItemFailure { get; set; } = (_, _) => null;

    /// <summary>The index privileges the signed-in user holds on every index; null for all of them (a superuser).</summary>
    public IReadOnlySet<string>? IndexPrivileges { get; set; }

    /// <summary>The cluster privileges the signed-in user holds; null for all of them (a superuser).</summary>
    public IReadOnlySet<string>? ClusterPrivileges { get; set; }

    /// <summary><c>action.auto_create_index</c>: whether a write to a missing index creates it.</summary>
    public bool AutoCreateIndex { get; set; } = true;

    /// <summary>How many times a document with this id was sent, whatever the answer.</summary>
    public int Sends(string id) => _sendsById.GetValueOrDefault(id);

    /// <summary>The next <paramref name="count"/> bulk requests are answered with <paramref name="status"/> as a whole.</summary>
    public void FailNextRequests(int count, int status)
    {
        Volatile.Write(ref _failNextStatus, status);
        Volatile.Write(ref _failNextRequests, count);
    }

    /// <param name="port">0 for a free port; a port of an earlier stand-in to bring "the same server" back.</param>
    /// <param name="pathBase">A path prefix (<c>/es</c>) the cluster is served under; any other path is a 404, as from a proxy.</param>
    public static async Task<ElasticsearchBulkStandIn> StartAsync(int port = 0, string pathBase = "")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new ElasticsearchBulkStandIn(app, pathBase.TrimEnd('/'));
        app.Use(async (context, next) =>
        {
            standIn.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            standIn.LastAuthorization = context.Request.Headers.Authorization;
            // Elastic's clients look for this header to know they talk to Elasticsearch.
            context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
            if (standIn._pathBase.Length > 0)
            {
                if (!context.Request.Path.StartsWithSegments(standIn._pathBase, out var rest))
                {
                    await WriteErrorAsync(context, new StandInError(404, "stand_in_no_route", $"{context.Request.Path} is outside the path prefix {standIn._pathBase}"));
                    return;
                }

                context.Request.PathBase = standIn._pathBase;
                context.Request.Path = rest;
            }

            if (standIn.Outage)
            {
                await WriteErrorAsync(context, new StandInError(503, "unavailable", "stand-in outage"));
                if (context.Request.Path.Value?.EndsWith("/_bulk", StringComparison.Ordinal) == true)
                {
                    Interlocked.Increment(ref standIn._bulkRequests);
                    Interlocked.Increment(ref standIn._failedBulkRequests);
                }

                return;
            }

            await next(context);
        });
        // After the prefix is taken off, so that routes match the rest of the path.
        app.UseRouting();
        app.MapGet("/", (HttpContext context) => WriteJsonAsync(context, 200,
            """{"name":"stand-in","cluster_name":"stand-in","version":{"number":"9.5.3","build_flavor":"default"},"tagline":"You Know, for Search"}"""));
        app.MapGet("/_cluster/health", (HttpContext context) =>
            standIn.ClusterDenial("cluster:monitor/health", MonitorGrantedBy) is { } denied
                ? WriteErrorAsync(context, denied)
                : WriteJsonAsync(context, 200, """{"cluster_name":"stand-in","status":"green","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1}"""));
        app.MapPut("/_index_template/{name}", async (string name, HttpContext context) =>
        {
            if (standIn.ClusterDenial("indices:admin/index_template/put", TemplateGrantedBy) is { } denied)
            {
                await WriteErrorAsync(context, denied);
                return;
            }

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
            await WriteErrorAsync(context, status == 429 ? StandInError.TooManyRequests() : new StandInError(status, "stand_in_storm", "stand-in storm"));
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
            var attempt = _sendsById.AddOrUpdate(id, 1, (_, count) => count + 1);
            var result = new JsonObject { ["_index"] = index, ["_id"] = id };
            if ((ItemFailure(id, attempt) ?? Refusal(operation, index, id)) is { } failure)
            {
                errors = true;
                result["status"] = failure.Status;
                result["error"] = new JsonObject { ["type"] = failure.Type, ["reason"] = failure.Reason, ["index"] = index };
            }
            else
            {
                _indices.TryAdd(index, 0);
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

    /// <summary>What Elasticsearch would refuse the item for before looking at the document, in the order it checks.</summary>
    private StandInError? Refusal(string operation, string index, string id)
    {
        var grantedBy = operation == "create" ? CreateGrantedBy : IndexGrantedBy;
        if (!Holds(IndexPrivileges, grantedBy))
        {
            return StandInError.IndexActionDenied(User, $"indices:data/write/index:op_type/{operation}", index, grantedBy);
        }

        if (!_indices.ContainsKey(index))
        {
            if (!AutoCreateIndex)
            {
                return StandInError.IndexNotFound(index);
            }

            if (!Holds(IndexPrivileges, AutoCreateGrantedBy))
            {
                return StandInError.IndexActionDenied(User, "indices:admin/auto_create", index, AutoCreateGrantedBy);
            }
        }

        if (operation == "create" && Documents.ContainsKey(id))
        {
            Interlocked.Increment(ref _conflicts);
            return new StandInError(409, "version_conflict_engine_exception", $"[{id}]: version conflict, document already exists (current version [1])");
        }

        return null;
    }

    private StandInError? ClusterDenial(string action, string[] grantedBy) =>
        Holds(ClusterPrivileges, grantedBy) ? null : StandInError.ClusterActionDenied(User, action, grantedBy);

    private static bool Holds(IReadOnlySet<string>? held, string[] grantedBy) => held is null || grantedBy.Any(held.Contains);

    // Elastic's transport gzips request bodies by default, as Elasticsearch accepts.
    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        var body = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(request.Body, CompressionMode.Decompress)
            : request.Body;
        using var reader = new StreamReader(body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static Task WriteErrorAsync(HttpContext context, StandInError error) => WriteJsonAsync(context, error.Status,
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["root_cause"] = new JsonArray(new JsonObject { ["type"] = error.Type, ["reason"] = error.Reason }),
                ["type"] = error.Type,
                ["reason"] = error.Reason,
            },
            ["status"] = error.Status,
        }.ToJsonString());

    private static Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }
}
