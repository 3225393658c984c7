using Confluent.Kafka;
using FoodOrdering.Producer.Generator;
using FoodOrdering.Operators;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Apis;

internal sealed record GeneratorStatus(bool Running, double OrdersPerSecond, int Limit, int Generated);

internal sealed record BurstResult(int Requested, int Published, int Failed);

/// <summary>
/// Operator controls for the order generator (the AppHost exposes the same three as dashboard commands, which send
/// the operator key); its status is open to read.
/// </summary>
internal static class GeneratorApi
{
    public const int MaxBurst = 10_000;

    public static IEndpointRouteBuilder MapGeneratorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/generator").WithTags("Generator");

        api.MapGet("", Status).WithName("GetGenerator").WithSummary("Whether the generator runs, its rate, limit and count.");

        var operations = api.MapGroup("")
            .RequireOperator()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        operations.MapPost("/start", (OrderGeneratorControl control, IOptions<OrderGeneratorOptions> options) =>
        {
            control.Start();
            return Status(control, options);
        }).WithName("StartGenerator").WithSummary("Starts generating orders at the configured rate.");

        operations.MapPost("/stop", (OrderGeneratorControl control, IOptions<OrderGeneratorOptions> options) =>
        {
            control.Stop();
            return Status(control, options);
        }).WithName("StopGenerator").WithSummary("Stops generating orders.");

        operations.MapPost("/burst", BurstAsync)
            .WithName("BurstGenerator")
            .WithSummary($"Publishes count (1 to {MaxBurst}) generated orders at once, whether or not the generator runs.");

        return app;
    }

    private static Ok<GeneratorStatus> Status(OrderGeneratorControl control, IOptions<OrderGeneratorOptions> options) =>
        TypedResults.Ok(new GeneratorStatus(control.IsRunning, options.Value.OrdersPerSecond, options.Value.Limit, control.Generated));

    private static async Task<Results<Ok<BurstResult>, ValidationProblem>> BurstAsync(int? count, GeneratedOrderPublisher orders, CancellationToken cancellationToken)
    {
        if (count is not (>= 1 and <= MaxBurst))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["count"] = [$"1 to {MaxBurst}."] });
        }

        var published = 0;
        var failed = 0;
        // librdkafka batches whatever is in flight, so publishing them all at once is the fast way.
        await Task.WhenAll(Enumerable.Range(0, count.Value).Select(async _ =>
        {
            try
            {
                await orders.PublishAsync(cancellationToken);
                Interlocked.Increment(ref published);
            }
            catch (KafkaException)
            {
                Interlocked.Increment(ref failed);
            }
        }));
        return TypedResults.Ok(new BurstResult(count.Value, published, failed));
    }
}
