using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Producer.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Apis;

/// <summary>The front door: the menu, placing an order, and reading back an order this instance accepted.</summary>
internal static class OrdersApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxIdempotencyKeyLength = 200;

    private static readonly MenuResponse MenuResponse = new(Menu.Currency, [.. Menu.Items.Select(item => item.Category).Distinct()], Menu.Items);

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Orders");

        api.MapGet("/menu", () => TypedResults.Ok(MenuResponse))
            .WithName("GetMenu")
            .WithSummary("The menu: items with their categories and prices.");

        api.MapPost("/orders", PlaceOrderAsync)
            .WithName("PlaceOrder")
            .WithSummary("Places an order. 201 only once the order is on the Kafka log.")
            .WithDescription($"Send an {IdempotencyKeyHeader} header to retry safely: the same key and body return the same order, a different body gets 422.")
            .Accepts<PlaceOrderRequest>("application/json")
            .Produces<OrderPlaced>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Produces(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(OrderRateLimiting.PolicyName);

        api.MapGet("/orders/{orderId:guid}", GetOrder)
            .WithName("GetOrder")
            .WithSummary("An order as this instance accepted it (recent orders only).");

        return app;
    }

    private static Results<Ok<OrderPlaced>, NotFound> GetOrder(Guid orderId, AcceptedOrders accepted) =>
        accepted.Find(orderId) is { } order ? TypedResults.Ok(order) : TypedResults.NotFound();

    private static async Task<IResult> PlaceOrderAsync(
        HttpContext context,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        AcceptedOrders accepted,
        OrderPublisher publisher,
        TimeProvider time,
        IOptions<OrderApiOptions> options,
        ILogger<OrderPublisher> logger)
    {
        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the order as application/json.");
        }

        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength } || (idempotencyKey?.Any(char.IsControl) ?? false))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = [$"1 to {MaxIdempotencyKeyLength} printable characters."],
            });
        }

        var body = await RequestBody.ReadAsync(context.Request, options.Value.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"An order body is at most {options.Value.MaxBodyBytes} bytes.");
        }

        if (Parse(body) is not { } request)
        {
            return TypedResults.ValidationProblem(JsonErrors(body));
        }

        if (OrderRequestValidator.Validate(request) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var fingerprint = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, OrderApiJsonContext.Default.PlaceOrderRequest));
        try
        {
            var placement = await accepted.PlaceOnceAsync(idempotencyKey, fingerprint, async () =>
            {
                var order = ToOrder(request, time.GetUtcNow());
                Activity.Current?.SetTag("order.id", order.OrderId);
                // Not the request's token: once produced, the order may land on the log, so wait for the broker's
                // answer even if the client went away, lest a retry with the same key place it twice.
                await publisher.PublishAsync(order, CancellationToken.None);
                return order;
            });
            if (placement.Order is not { } order)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: $"This {IdempotencyKeyHeader} was already used for a different order.");
            }

            if (placement.Replayed)
            {
                Activity.Current?.SetTag("order.id", order.OrderId);
                context.Response.Headers[ReplayedHeader] = "true";
            }

            logger.LogDebug("Accepted order {OrderId}", order.OrderId);
            return TypedResults.Created($"/orders/{order.OrderId}", order);
        }
        catch (KafkaException e)
        {
            logger.LogWarning("An order was refused because Kafka did not take it: {Reason}", e.Error.Reason);
            context.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Orders cannot be accepted right now.",
                detail: $"The order was not placed. Retry later, with the same {IdempotencyKeyHeader}.");
        }
    }

    private static PlaceOrderRequest? Parse(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, OrderApiJsonContext.Default.PlaceOrderRequest);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, string[]> JsonErrors(byte[] body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new() { ["$"] = ["Not valid JSON."] };
        }

        try
        {
            _ = JsonSerializer.Deserialize(body, OrderApiJsonContext.Default.PlaceOrderRequest);
            return new() { ["$"] = ["The body must be a JSON object."] };
        }
        catch (JsonException e)
        {
            var field = e.Path is null or "$" ? "$" : e.Path.TrimStart('$', '.');
            var unknown = e.Message.Contains("could not be mapped", StringComparison.Ordinal);
            return new() { [field] = [unknown ? "Unknown field." : "Wrong type for this field."] };
        }
    }

    private static OrderPlaced ToOrder(PlaceOrderRequest request, DateTimeOffset now)
    {
        var customer = request.Customer!;
        var email = customer.Email!.Trim();
        // The same email is the same customer, so analytics can count returning customers.
        var customerId = $"cust-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.ToLowerInvariant())))[..12]}";
        return new OrderPlaced(
            Guid.CreateVersion7(now),
            now,
            new Customer(customerId, customer.Name!.Trim(), email),
            [.. request.Lines!.Select(line => new OrderLine(line!.MenuItemId!, line.Quantity!.Value))],
            request.DeliveryAddress!.Trim());
    }
}
