using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Clients;
using FoodOrdering.Producer.Orders;
using FoodOrdering.Producer.Tracking;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FoodOrdering.Producer.Apis;

/// <summary>The front door: the menu, placing an order, and reading back an order this instance accepted.</summary>
internal static class OrdersApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxIdempotencyKeyLength = 200;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Orders");

        api.MapGet("/menu", (IOptions<MenuPricingOptions> pricing) => TypedResults.Ok(MenuResponse.Of(pricing.Value)))
            .WithName("GetMenu")
            .WithSummary("The menu: items with their categories and prices, and the delivery fee and tax rate an order adds.");

        api.MapPost("/orders", PlaceOrderAsync)
            .WithName("PlaceOrder")
            .WithSummary("Places an order. 201 only once the order is on the Kafka log.")
            .WithDescription($"Send an {IdempotencyKeyHeader} header to retry safely: the same key and body return the same order, a different body gets 422. A 503 says whether the order may have been placed, and as which order id.")
            .Accepts<PlaceOrderRequest>("application/json")
            .Produces<OrderPlaced>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(OrderRateLimiting.PolicyName);

        api.MapGet("/orders/{orderId:guid}", GetOrder)
            .WithName("GetOrder")
            .WithSummary("Where a recent order is: received, confirmed with its price or rejected with why, and whether its email went out.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static Results<Ok<OrderStatus>, ProblemHttpResult> GetOrder(Guid orderId, OrderTrackingBoard board, IOptions<OrderTrackingOptions> options) =>
        board.Find(orderId) is { } status
            ? TypedResults.Ok(status)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "No recent order has this id.",
                detail: $"An order placed here is known for {options.Value.KeepPlacedFor.TotalMinutes:0} minutes; others, among the last {options.Value.MaxOrders} seen.");

    private static async Task<IResult> PlaceOrderAsync(
        HttpContext context,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        OrderIntake intake,
        TimeProvider time,
        IOptions<OrderApiOptions> options)
    {
        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the order as application/json.");
        }

        if (JsonCharset.NotUtf8(context.Request) is { } charset)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send the order as UTF-8 JSON.",
                detail: $"The body is labelled charset={charset}; JSON is read as UTF-8 only. Send charset=utf-8 or no charset.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [HeaderNames.ContentType] = [$"charset={charset} is not UTF-8."] } });
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
        var placement = await intake.PlaceAsync(ClientAddresses.Of(context), idempotencyKey, fingerprint, () => ToOrder(request, time.GetUtcNow()));
        return Answer(context, placement, keyed: idempotencyKey is not null, options.Value);
    }

    /// <summary>Tells the client exactly what is known about its order.</summary>
    private static IResult Answer(HttpContext context, Placement placement, bool keyed, OrderApiOptions options)
    {
        switch (placement)
        {
            case Placement.Placed placed:
                Activity.Current?.SetTag("order.id", placed.Order.OrderId);
                if (placed.Replayed)
                {
                    context.Response.Headers[ReplayedHeader] = "true";
                }

                return TypedResults.Created($"/orders/{placed.Order.OrderId}", placed.Order);
            case Placement.Conflict:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: $"This {IdempotencyKeyHeader} was already used for a different order.");
            case Placement.KeysFull full:
                RetryAfter(context, full.RetryAfter);
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Orders with an idempotency key cannot be accepted right now.",
                    detail: $"The order was not placed: this instance holds as many {IdempotencyKeyHeader}s as it can remember and forgets none early. Retry later with the same key, or without a key.");
            case Placement.ClientKeysFull full:
                RetryAfter(context, full.RetryAfter);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
                    title: $"This client holds as many {IdempotencyKeyHeader}s as one client may.",
                    detail: $"The order was not placed. Each key is remembered for {options.RememberFor.TotalHours:0.#} h after its order; the first of this client's keys is forgotten in {Seconds(full.RetryAfter)} s. Retry then with the same key, or now without a key.");
            case Placement.KeysUnavailable:
                RetryAfter(context, TimeSpan.FromSeconds(options.RetryAfterSeconds));
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Orders with an idempotency key cannot be accepted right now.",
                    detail: $"The order was not placed: the store the replicas share {IdempotencyKeyHeader}s in (Redis) cannot be reached, and an order is never published without its key held there. Retry later with the same key.");
            case Placement.MaybePlaced maybe:
                Activity.Current?.SetTag("order.id", maybe.Order.OrderId);
                RetryAfter(context, TimeSpan.FromSeconds(options.RetryAfterSeconds));
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Kafka did not confirm the order.",
                    detail: maybe.KeyPinned
                        ? $"The order may have been placed as order {maybe.Order.OrderId}. Retry with the same {IdempotencyKeyHeader} and it will be published as that same order {maybe.Order.OrderId}, never a new one."
                        : $"The order may have been placed as order {maybe.Order.OrderId}; this service cannot tell. A retry without an {IdempotencyKeyHeader} is a new order; send one to retry safely.",
                    extensions: new Dictionary<string, object?> { ["orderId"] = maybe.Order.OrderId });
            case Placement.NotPlaced:
                RetryAfter(context, TimeSpan.FromSeconds(options.RetryAfterSeconds));
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Orders cannot be accepted right now.",
                    detail: $"The order was not placed. Retry later{(keyed ? $", with the same {IdempotencyKeyHeader}" : "")}.");
            default:
                throw new UnreachableException($"No answer for {placement}.");
        }
    }

    private static void RetryAfter(HttpContext context, TimeSpan wait) =>
        context.Response.Headers.RetryAfter = Seconds(wait).ToString(CultureInfo.InvariantCulture);

    private static long Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));

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
            return new() { [field] = [Problem(e)] };
        }
    }

    private static string Problem(JsonException e) =>
        e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "Unknown field."
        : e.Message.StartsWith("Duplicate property", StringComparison.Ordinal) ? "Given more than once (names match whatever their case)."
        : "Wrong type for this field.";

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
