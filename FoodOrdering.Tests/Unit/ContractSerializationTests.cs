using System.Text.Json;
using FoodOrdering.Contracts;

namespace FoodOrdering.Tests.Unit;

public sealed class ContractSerializationTests
{
    [Fact]
    public void AConfirmedOrderSurvivesTheWireExactly()
    {
        var order = new OrderConfirmed(
            Guid.NewGuid(),
            new DateTimeOffset(2026, 11, 25, 9, 30, 15, 123, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 25, 9, 30, 16, 0, TimeSpan.Zero),
            new Customer("cust-7", "Alan Turing", "alan@example.com"),
            [new PricedLine("margherita", "Margherita Pizza", 3, 11.50m, 34.50m)],
            34.50m,
            2.50m,
            2.96m,
            39.96m,
            "USD",
            "1 Bletchley Park");

        var json = JsonSerializer.SerializeToUtf8Bytes(order, ContractsJsonContext.Default.OrderConfirmed);
        var back = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.OrderConfirmed)!;

        Assert.Equal(order with { Lines = [] }, back with { Lines = [] });
        Assert.Equal(order.Lines, back.Lines);
        Assert.Equal(TimeSpan.Zero, back.PlacedAt.Offset);
    }

    [Fact]
    public void UsesCamelCaseNamesOnTheWire()
    {
        var line = new OrderLineSold(Guid.Empty, 1, DateTimeOffset.UnixEpoch, "cola", "Cola", "Drinks", 2, 4.80m);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(line, ContractsJsonContext.Default.OrderLineSold));

        Assert.Equal(
            ["orderId", "lineNumber", "placedAt", "menuItemId", "item", "category", "quantity", "revenue"],
            json.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal(4.80m, json.RootElement.GetProperty("revenue").GetDecimal());
    }

    [Theory]
    [InlineData("""{"orderId":"3f2b8d4e-0000-4000-8000-000000000001","placedAt":"2026-11-25T10:00:00Z","lines":[]}""", "customer")]
    [InlineData("""{"orderId":"3f2b8d4e-0000-4000-8000-000000000001","placedAt":"2026-11-25T10:00:00Z","customer":null,"lines":[]}""", "customer")]
    [InlineData("""{"orderId":"3f2b8d4e-0000-4000-8000-000000000001","placedAt":"2026-11-25T10:00:00Z","customer":{"customerId":"c","name":"n","email":"e"},"lines":[{"menuItemId":"cola","quantity":"two"}]}""", "quantity")]
    public void RejectsAnOrderWithMissingNullOrMistypedFields(string json, string field)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ContractsJsonContext.Default.OrderPlaced));

        Assert.Contains(field, error.Message + error.Path, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void IgnoresFieldsANewerProducerAdded()
    {
        const string json = """{"orderId":"3f2b8d4e-0000-4000-8000-000000000001","placedAt":"2026-11-25T10:00:00Z","customer":{"customerId":"c","name":"n","email":"e"},"lines":[],"loyaltyTier":"gold"}""";

        var order = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.OrderPlaced);

        Assert.NotNull(order);
    }
}
