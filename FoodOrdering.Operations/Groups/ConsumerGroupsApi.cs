using System.Security.Claims;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FoodOrdering.Operations.Audit;
using FoodOrdering.Operations.Log;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FoodOrdering.Operations.Groups;

internal static class ConsumerGroupsApi
{
    private static readonly string[] Targets = ["earliest", "latest", "time"];

    public static RouteGroupBuilder MapConsumerGroupsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/consumer-groups", ListAsync)
            .WithName("ListConsumerGroups").WithSummary("Every consumer group: state, members, committed offsets, lag in records, lag over the last half hour.").WithTags("Consumer groups");
        api.MapGet("/consumer-groups/{group}", GetAsync)
            .WithName("GetConsumerGroup").WithSummary("One consumer group.").WithTags("Consumer groups");
        api.MapPost("/consumer-groups/{group}/reset", ResetAsync)
            .WithName("ResetConsumerGroup")
            .WithSummary("Resets a group with no members to earliest, latest or a time; a dry run (the default) only says, per partition, how many records would be read again or skipped.")
            .WithTags("Consumer groups");
        return api;
    }

    private static async Task<Ok<List<GroupSummary>>> ListAsync(ConsumerGroupReader groups, GroupLagHistory history)
    {
        var summaries = new List<GroupSummary>();
        foreach (var group in await groups.ListAsync())
        {
            summaries.Add(await SummaryAsync(group, groups, history));
        }

        return TypedResults.Ok(summaries);
    }

    private static async Task<Results<Ok<GroupSummary>, ProblemHttpResult>> GetAsync(string group, ConsumerGroupReader groups, GroupLagHistory history) =>
        await groups.ExistsAsync(group) ? TypedResults.Ok(await SummaryAsync(group, groups, history)) : UnknownGroup(group);

    private static async Task<Results<Ok<ResetResult>, ValidationProblem, ProblemHttpResult>> ResetAsync(
        string group, ResetRequest request, ConsumerGroupReader groups, OffsetReset reset, TopicTail tail, AuditWriter audit, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        if (!await groups.ExistsAsync(group))
        {
            return UnknownGroup(group);
        }

        var errors = new Dictionary<string, string[]>();
        if (request.To is null || !Targets.Contains(request.To))
        {
            errors["to"] = ["earliest, latest or time."];
        }
        else if (request.To == "time" && request.At is null)
        {
            errors["at"] = ["A UTC time, for to = time."];
        }

        if (request.Topics?.FirstOrDefault(topic => !tail.Topics.ContainsKey(topic)) is { } unknown)
        {
            errors["topics"] = [$"No topic {unknown}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (_, members) = await groups.DescribeAsync(group);
        if (members is { Count: > 0 })
        {
            return HasMembers(group, $"{members.Count} member(s): {string.Join(", ", members.Select(m => m.ClientId))}. Stop its consumers first.");
        }

        var plan = await reset.PlanAsync(group, request.To!, request.At, request.Topics);
        if (request.DryRun ?? true)
        {
            return TypedResults.Ok(plan);
        }

        var target = $"{group} to {request.To}{(request.At is { } at ? $" {at:O}" : "")}";
        var records = plan.Partitions.Select(p => new AuditedRecord($"{p.Topic}/{p.Partition}/{p.Target}", AuditOutcomes.Done, $"from {p.Committed?.ToString() ?? "none"}: {p.Reread} re-read, {p.Skipped} skipped")).ToList();
        try
        {
            await reset.ApplyAsync(plan);
        }
        catch (AlterConsumerGroupOffsetsException e) when (e.Results.Any(r => r.Partitions.Any(p => p.Error.Code is ErrorCode.UnknownMemberId or ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration)))
        {
            await audit.WriteAsync(user, context, AuditActions.ResetOffsets, target, records, AuditOutcomes.Failed, cancellationToken);
            return HasMembers(group, "The cluster refused the new offsets: the group has, or has just had, members.");
        }

        await audit.WriteAsync(user, context, AuditActions.ResetOffsets, target, records, AuditOutcomes.Done, cancellationToken);
        return TypedResults.Ok(plan with { DryRun = false });
    }

    private static async Task<GroupSummary> SummaryAsync(string group, ConsumerGroupReader groups, GroupLagHistory history)
    {
        var (state, members) = await groups.DescribeAsync(group);
        var lag = groups.Lag(await groups.CommittedAsync(group));
        return new GroupSummary(group, state, members, lag.Sum(topic => topic.Lag), lag, history.Of(group));
    }

    private static ProblemHttpResult UnknownGroup(string group) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such consumer group.", detail: $"The cluster has no consumer group {group}.");

    private static ProblemHttpResult HasMembers(string group, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"{group} has members: its offsets are not reset.", detail: detail);
}
