using System.Security.Claims;
using FoodOrdering.Operations.Log;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FoodOrdering.Operations.DeadLetters;

internal static class DeadLettersApi
{
    private const int MaxRecords = 10_000;

    public static RouteGroupBuilder MapDeadLettersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/dead-letters", (DeadLetterCatalog catalog) => TypedResults.Ok(catalog.Groups()))
            .WithName("ListDeadLetterGroups")
            .WithSummary("Every dead-letter topic and emails.failed, grouped by reason, source topic and error fingerprint, with counts and first and last seen.")
            .WithTags("Dead letters");
        api.MapGet("/dead-letters/{group}", GroupAsync)
            .WithName("GetDeadLetterGroup").WithSummary("One failure group with its records and how each was handled.").WithTags("Dead letters");
        api.MapPost("/dead-letters/redrive", RedriveAsync)
            .WithName("RedriveDeadLetters")
            .WithSummary("Re-drives a group, or records by coordinates, to their source topics; handled ones are left alone, and a group skips those over the re-drive limit.")
            .WithTags("Dead letters");
        api.MapPost("/dead-letters/discard", DiscardAsync)
            .WithName("DiscardDeadLetters").WithSummary("Marks a group, or records, handled without re-driving them; they stay on the log.").WithTags("Dead letters");
        return api;
    }

    private static Results<Ok<DeadLetterGroupDetail>, ProblemHttpResult> GroupAsync(string group, DeadLetterCatalog catalog) =>
        catalog.Group(group) is { } detail ? TypedResults.Ok(detail) : UnknownGroup(group);

    private static async Task<Results<Ok<DeadLetterActionResult>, ValidationProblem, ProblemHttpResult>> RedriveAsync(
        DeadLetterSelection selection, DeadLetterIndex index, DeadLetterActions actions, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        Select(selection, index) switch
        {
            (null, { } invalid) => invalid,
            ({ Count: 0 }, _) => UnknownGroup(selection.Group!),
            (var letters, _) => TypedResults.Ok(await actions.RedriveAsync(letters!, selection.Group is not null, user, context, cancellationToken)),
        };

    private static async Task<Results<Ok<DeadLetterActionResult>, ValidationProblem, ProblemHttpResult>> DiscardAsync(
        DeadLetterSelection selection, DeadLetterIndex index, DeadLetterActions actions, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        Select(selection, index) switch
        {
            (null, { } invalid) => invalid,
            ({ Count: 0 }, _) => UnknownGroup(selection.Group!),
            (var letters, _) => TypedResults.Ok(await actions.DiscardAsync(letters!, user, context, cancellationToken)),
        };

    // A group's letters, or the named records; an empty list for an unknown group.
    private static (IReadOnlyList<DeadLetter>? Letters, ValidationProblem? Invalid) Select(DeadLetterSelection selection, DeadLetterIndex index)
    {
        if ((selection.Group is null) == (selection.Records is null))
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["group"] = ["Either group or records, not both."] }));
        }

        if (selection.Group is { } group)
        {
            return ([.. index.All().Select(entry => entry.Letter).Where(letter => letter.Group == group)], null);
        }

        var records = selection.Records!;
        if (records.Count is 0 or > MaxRecords)
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["records"] = [$"1 to {MaxRecords} dead letters (topic/partition/offset)."] }));
        }

        var letters = new List<DeadLetter>();
        var unknown = new List<string>();
        foreach (var record in records.Distinct())
        {
            if (RecordCoordinates.TryParse(record, out var at) && index.Get(at) is { } letter)
            {
                letters.Add(letter);
            }
            else
            {
                unknown.Add(record);
            }
        }

        return unknown.Count > 0
            ? (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["records"] = [$"Not dead letters the console knows: {string.Join(", ", unknown.Take(10))}."] }))
            : (letters, null);
    }

    private static ProblemHttpResult UnknownGroup(string group) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such failure group.", detail: $"No dead letters are grouped as {group}.");
}
