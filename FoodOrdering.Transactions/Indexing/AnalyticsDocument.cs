using System.Text.Json.Serialization;
using FoodOrdering.Contracts;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// One order line as indexed; its fields are exactly the mapping in <c>analytics-index-template.json</c> (the
/// template is strict, so a field that is not mapped there is refused).
/// </summary>
internal sealed record AnalyticsDocument(
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("lineNumber")] int LineNumber,
    [property: JsonPropertyName("placedAt")] DateTimeOffset PlacedAt,
    [property: JsonPropertyName("menuItemId")] string MenuItemId,
    [property: JsonPropertyName("item")] string Item,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("revenue")] decimal Revenue)
{
    /// <summary>Deterministic, so a redelivered record is answered "already there" (409 to a <c>create</c>) instead of adding a second document.</summary>
    [JsonIgnore]
    public string Id => $"{OrderId}-{LineNumber}";

    public static AnalyticsDocument From(OrderLineSold line) => new(
        line.OrderId.ToString(),
        line.LineNumber,
        line.PlacedAt.ToUniversalTime(),
        line.MenuItemId,
        line.Item,
        line.Category,
        line.Quantity,
        line.Revenue);
}
