using FoodOrdering.Contracts;
using FoodOrdering.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace FoodOrdering.Tests.Unit;

public sealed class OrderPricerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly OrderPricer _pricer = new(new FakeTimeProvider(Now));

    [Fact]
    public void PricesEveryLineFromTheMenuAndTotalsThem()
    {
        var order = Order(new OrderLine("margherita", 2), new OrderLine("cola", 3), new OrderLine("tiramisu", 1));

        var result = Assert.IsType<PricingResult.Confirmed>(_pricer.Price(order));

        // 2 × 11.50 + 3 × 2.40 + 1 × 5.60
        Assert.Equal(35.80m, result.Order.Total);
        Assert.Equal([23.00m, 7.20m, 5.60m], result.Order.Lines.Select(line => line.LineTotal));
        Assert.Equal(["Margherita Pizza", "Cola", "Tiramisu"], result.Order.Lines.Select(line => line.Name));
        Assert.Equal(Menu.Currency, result.Order.Currency);
        Assert.Equal(Now, result.Order.ConfirmedAt);
        Assert.Equal(order.PlacedAt, result.Order.PlacedAt);
        Assert.Equal(order.Customer, result.Order.Customer);
    }

    [Fact]
    public void WritesOneAnalyticsRecordPerLineWithCategoryAndRevenue()
    {
        var order = Order(new OrderLine("pepperoni", 1), new OrderLine("fries", 4));

        var result = Assert.IsType<PricingResult.Confirmed>(_pricer.Price(order));

        Assert.Collection(result.Analytics,
            line =>
            {
                Assert.Equal((order.OrderId, 1, "pepperoni", "Pizza", 1, 13.00m), (line.OrderId, line.LineNumber, line.MenuItemId, line.Category, line.Quantity, line.Revenue));
                Assert.Equal(order.PlacedAt, line.PlacedAt);
            },
            line => Assert.Equal((order.OrderId, 2, "fries", "Sides", 4, 12.80m), (line.OrderId, line.LineNumber, line.MenuItemId, line.Category, line.Quantity, line.Revenue)));
    }

    [Fact]
    public void KeepsLargeQuantitiesExactInDecimal()
    {
        var result = Assert.IsType<PricingResult.Confirmed>(_pricer.Price(Order(new OrderLine("quattro-formaggi", 1_000_000))));

        Assert.Equal(14_250_000.00m, result.Order.Total);
    }

    [Theory]
    [InlineData("caviar", 1, RejectionReasons.UnknownItem)]
    [InlineData("cola", 0, RejectionReasons.InvalidQuantity)]
    [InlineData("cola", -2, RejectionReasons.InvalidQuantity)]
    public void RejectsLinesThatCannotBePriced(string item, int quantity, string reason)
    {
        var order = Order(new OrderLine("fries", 1), new OrderLine(item, quantity));

        var result = Assert.IsType<PricingResult.Rejected>(_pricer.Price(order));

        Assert.Equal(reason, result.Rejection.Reason);
        Assert.Equal(order.OrderId, result.Rejection.OrderId);
        Assert.StartsWith("Line 2:", result.Rejection.Message);
    }

    [Fact]
    public void RejectsAnEmptyOrder()
    {
        var result = Assert.IsType<PricingResult.Rejected>(_pricer.Price(Order()));

        Assert.Equal(RejectionReasons.EmptyOrder, result.Rejection.Reason);
    }

    private static OrderPlaced Order(params OrderLine[] lines) =>
        new(Guid.NewGuid(), Now.AddSeconds(-3), new Customer("cust-1", "Grace Hopper", "grace@example.com"), lines);
}
