using System.Security.Claims;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
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
        api.MapPost("/consumer-groups/{group}/pause", PauseAsync)
            .WithName("PauseConsumerGroup")
            .WithSummary("Pauses the group's consumption on every instance of its service at once; its members stay in the group, holding their partitions, and its records wait on their topics.")
            .WithTags("Consumer groups");
        api.MapPost("/consumer-groups/{group}/resume", ResumeAsync)
            .WithName("ResumeConsumerGroup").WithSummary("Resumes a paused group's consumption where it stopped.").WithTags("Consumer groups");
        return api;
    }

    private static async Task<Ok<List<GroupSummary>>> ListAsync(ConsumerGroupReader groups, GroupLagHistory history, ConsumptionStates consumption)
    {
        var summaries = new List<GroupSummary>();
        foreach (var group in await groups.ListAsync())
        {
            summaries.Add(await SummaryAsync(group, groups, history, consumption));
        }

        return TypedResults.Ok(summaries);
    }

    private static async Task<Results<Ok<GroupSummary>, ProblemHttpResult>> GetAsync(string group, ConsumerGroupReader groups, GroupLagHistory history, ConsumptionStates consumption) =>
        await groups.ExistsAsync(group) ? TypedResults.Ok(await SummaryAsync(group, groups, history, consumption)) : UnknownGroup(group);

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

    private static Task<Results<Ok<ConsumptionCommand>, ProblemHttpResult>> PauseAsync(
        string group, ConsumerGroupReader groups, ConsumptionStates consumption, IProducer<string, byte[]> producer, AuditWriter audit, TimeProvider time, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        SwitchAsync(group, paused: true, groups, consumption, producer, audit, time, user, context, cancellationToken);

    private static Task<Results<Ok<ConsumptionCommand>, ProblemHttpResult>> ResumeAsync(
        string group, ConsumerGroupReader groups, ConsumptionStates consumption, IProducer<string, byte[]> producer, AuditWriter audit, TimeProvider time, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        SwitchAsync(group, paused: false, groups, consumption, producer, audit, time, user, context, cancellationToken);

    /// <summary>
    /// Writes the group's new state on <see cref="Topics.ConsumptionControl"/>, keyed by the group, and audits it once
    /// the broker has it. Pressing twice writes the same state twice, which changes nothing.
    /// </summary>
    private static async Task<Results<Ok<ConsumptionCommand>, ProblemHttpResult>> SwitchAsync(
        string group, bool paused, ConsumerGroupReader groups, ConsumptionStates consumption, IProducer<string, byte[]> producer, AuditWriter audit, TimeProvider time, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        if (!ConsumerGroups.All.Contains(group) && !await groups.ExistsAsync(group))
        {
            return UnknownGroup(group);
        }

        var action = paused ? AuditActions.Pause : AuditActions.Resume;
        var command = new ConsumptionCommand(group, paused, time.GetUtcNow(), AuditWriter.Who(user, context));
        await producer.PublishAsync(Topics.ConsumptionControl, group, command, ContractsJsonContext.Default.ConsumptionCommand, cancellationToken);
        // This console shows it at once; its reader reads the same command back.
        consumption.Apply(command);
        await audit.WriteAsync(user, context, action, group, [], AuditOutcomes.Done, cancellationToken);
        return TypedResults.Ok(command);
    }

    private static async Task<GroupSummary> SummaryAsync(string group, ConsumerGroupReader groups, GroupLagHistory history, ConsumptionStates consumption)
    {
        var (state, members) = await groups.DescribeAsync(group);
        var lag = groups.Lag(await groups.CommittedAsync(group));
        return new GroupSummary(group, state, members, lag.Sum(topic => topic.Lag), lag, history.Of(group), consumption.PausedBy(group));
    }

    private static ProblemHttpResult UnknownGroup(string group) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such consumer group.", detail: $"The cluster has no consumer group {group}.");

    private static ProblemHttpResult HasMembers(string group, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"{group} has members: its offsets are not reset.", detail: detail);
}
