using Microsoft.AspNetCore.Http.HttpResults;

namespace FoodOrdering.Operations.Audit;

internal static class AuditApi
{
    private const int MaxEntries = 1_000;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", Newest)
            .WithName("ListAudit").WithSummary($"The newest operator actions (up to {MaxEntries}): who, when, what, which records, outcome.").WithTags("Audit");
        return api;
    }

    private static Results<Ok<IReadOnlyList<AuditEntry>>, ValidationProblem> Newest(int? limit, AuditLog audit) =>
        limit is null or (>= 1 and <= MaxEntries)
            ? TypedResults.Ok(audit.Newest(limit ?? 100))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"1 to {MaxEntries}."] });
}
