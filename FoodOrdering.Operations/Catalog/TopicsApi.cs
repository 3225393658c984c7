using System.Globalization;
using System.Security.Claims;
using FoodOrdering.Operations.Audit;
using FoodOrdering.Operations.Log;
using FoodOrdering.Operations.Orders;
using FoodOrdering.Operations.Records;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operations.Catalog;

/// <summary>Topics, their records, and one order's records across them.</summary>
internal static class TopicsApi
{
    public static RouteGroupBuilder MapTopicsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/topics", async (TopicCatalog catalog, CancellationToken cancellationToken) => TypedResults.Ok(await catalog.ListAsync(cancellationToken)))
            .WithName("ListTopics").WithSummary("Every topic: partitions, records (as a read_committed reader counts them), rate over the last minute, retention.").WithTags("Topics");

        api.MapGet("/topics/{name}", DetailAsync)
            .WithName("GetTopic").WithSummary("One topic with each partition's offsets and records.").WithTags("Topics");

        api.MapGet("/topics/{name}/records", RecordsAsync)
            .WithName("BrowseTopic")
            .WithSummary("A page of records: from=newest (default), oldest, or a UTC time (ISO 8601); partition to read one; cursor from the previous page's next; limit up to 500.")
            .WithTags("Topics");

        api.MapGet("/topics/{name}/records/{partition:int}/{offset:long}", OneAsync)
            .WithName("GetRecord").WithSummary("One record; reveal=true shows it unmasked, and is audited.").WithTags("Topics");

        api.MapGet("/orders/{id}/trail", TrailAsync)
            .WithName("GetOrderTrail").WithSummary("Every record of one order, on every topic, oldest first: received, confirmed or rejected, emailed, dead-lettered; searchedFrom, per partition whose older records the order index no longer holds, the offset the search started at.").WithTags("Orders");
        return api;
    }

    private static async Task<Results<Ok<TopicDetail>, ProblemHttpResult>> DetailAsync(string name, TopicCatalog catalog, CancellationToken cancellationToken) =>
        catalog.Exists(name) ? TypedResults.Ok(await catalog.DetailAsync(name, cancellationToken)) : UnknownTopic(name);

    private static async Task<Results<Ok<RecordPage>, ValidationProblem, ProblemHttpResult>> RecordsAsync(
        string name, string? from, int? partition, string? cursor, int? limit, TopicTail tail, RecordBrowser browser, IOptions<OperationsOptions> options, CancellationToken cancellationToken)
    {
        if (!tail.Topics.TryGetValue(name, out var topic))
        {
            return UnknownTopic(name);
        }

        var errors = new Dictionary<string, string[]>();
        DateTimeOffset? since = null;
        var newest = from is null or "newest";
        if (!newest && from != "oldest")
        {
            if (DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                since = time;
            }
            else
            {
                errors["from"] = ["newest, oldest, or a time such as 2026-01-31T12:00:00Z."];
            }
        }

        if (partition is { } p && !topic.Partitions.ContainsKey(p))
        {
            errors["partition"] = [$"{name} has partitions 0 to {topic.Partitions.Count - 1}."];
        }

        if (limit is not (null or (>= 1 and <= OperationsOptions.MaxPageSize)))
        {
            errors["limit"] = [$"1 to {OperationsOptions.MaxPageSize}."];
        }

        if (!RecordCursor.TryParse(cursor, out var positions))
        {
            errors["cursor"] = ["The next value of a previous page."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        int[] partitions = partition is { } one ? [one] : [.. topic.Partitions.Keys.Order()];
        var size = limit ?? options.Value.PageSize;
        return TypedResults.Ok(await Task.Run(
            () => newest ? browser.Newest(name, partitions, positions, size) : browser.Forward(name, partitions, positions, since, size), cancellationToken));
    }

    private static async Task<Results<Ok<RecordView>, ProblemHttpResult>> OneAsync(
        string name, int partition, long offset, bool? reveal, TopicTail tail, RecordBrowser browser, AuditWriter audit, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        if (!tail.Topics.ContainsKey(name))
        {
            return UnknownTopic(name);
        }

        var at = new RecordCoordinates(name, partition, offset);
        if (reveal == true)
        {
            // Audited before it is shown: a reveal the audit cannot record does not happen.
            await audit.WriteAsync(user, context, AuditActions.Reveal, at.ToString(), [new AuditedRecord(at.ToString(), AuditOutcomes.Done)], AuditOutcomes.Done, cancellationToken);
        }

        return await Task.Run(() => browser.One(at, reveal == true), cancellationToken) is { } record
            ? TypedResults.Ok(record)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No record there.", detail: $"{at} holds no record (a transaction marker, or deleted by retention).");
    }

    private static async Task<Results<Ok<OrderTrailView>, ValidationProblem>> TrailAsync(string id, OrderTrail trail, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var orderId)
            ? TypedResults.Ok(await Task.Run(() => trail.Find(orderId.ToString()), cancellationToken))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["An order id (a GUID)."] });

    internal static ProblemHttpResult UnknownTopic(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such topic.", detail: $"The cluster has no topic {name} (or the console has not seen it yet: it looks for new topics every few seconds).");
}
