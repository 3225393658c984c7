using FoodOrdering.Contracts;
using FoodOrdering.Transactions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FoodOrdering.Tests.Unit;

public sealed class OrderPricerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly OrderPricer _pricer = Pricer(deliveryFee: 2.50m, taxRate: 0.08m);

    [Fact]
    public void PricesEveryLineFromTheMenuAndTotalsThem()
    {
        var order = Order(new OrderLine("margherita", 2), new OrderLine("cola", 3), new OrderLine("tiramisu", 1));

        var result = Assert.IsType<PricingResult.Confirmed>(_pricer.Price(order));

        // 2 × 11.50 + 3 × 2.40 + 1 × 5.60 = 35.80; (35.80 + 2.50) × 8 % = 3.064 → 3.06
        Assert.Equal((35.80m, 2.50m, 3.06m, 41.36m), (result.Order.Subtotal, result.Order.DeliveryFee, result.Order.Tax, result.Order.Total));
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
        var pricer = Pricer(2.50m, 0.08m, new PricingOptions { MaxQuantityPerLine = 20_000, MaxOrderTotal = 1_000_000_000m });

        var result = Assert.IsType<PricingResult.Confirmed>(pricer.Price(Order(new OrderLine("quattro-formaggi", 20_000))));

        // 20,000 × 14.25 = 285,000.00; (285,002.50) × 8 % = 22,800.20 exactly
        Assert.Equal(285_000.00m, result.Order.Subtotal);
        Assert.Equal(285_002.50m + 22_800.20m, result.Order.Total);
    }

    [Fact]
    public void AcceptsTheMostLinesAndTheLargestQuantityAllowed()
    {
        var lines = Enumerable.Repeat(new OrderLine("cola", 1), OrderLimits.MaxLines - 1).Append(new OrderLine("cola", OrderLimits.MaxQuantity)).ToArray();

        var result = Assert.IsType<PricingResult.Confirmed>(_pricer.Price(Order(lines)));

        // (19 + 20) × 2.40
        Assert.Equal(93.60m, result.Order.Subtotal);
    }

    [Fact]
    public void RejectsATotalAboveTheConfiguredMaximum()
    {
        var pricer = Pricer(2.50m, 0.08m, new PricingOptions { MaxOrderTotal = 100m });

        var result = Assert.IsType<PricingResult.Rejected>(pricer.Price(Order(new OrderLine("quattro-formaggi", 7))));

        // 7 × 14.25 = 99.75, + 2.50 fee, + 8.18 tax = 110.43
        Assert.Equal(RejectionReasons.TotalAboveMaximum, result.Rejection.Reason);
        Assert.Contains("110.43", result.Rejection.Message);
    }

    [Fact]
    public void RejectsMoreLinesThanAllowed()
    {
        var lines = Enumerable.Repeat(new OrderLine("cola", 1), OrderLimits.MaxLines + 1).ToArray();

        var result = Assert.IsType<PricingResult.Rejected>(_pricer.Price(Order(lines)));

        Assert.Equal(RejectionReasons.TooManyLines, result.Rejection.Reason);
    }

    [Theory]
    [InlineData(0.10, 0, 11.50, 1.15, 12.65)]   // exact
    [InlineData(0.05, 0, 11.50, 0.58, 12.08)]   // 0.575: a midpoint, rounded away from zero
    [InlineData(0.07, 0, 11.50, 0.81, 12.31)]   // 0.805: a midpoint
    [InlineData(0.0725, 0, 11.50, 0.83, 12.33)] // 0.83375: down
    [InlineData(0, 3.99, 11.50, 0, 15.49)]      // fee, no tax
    [InlineData(0.08, 2.50, 11.50, 1.12, 15.12)] // tax on subtotal plus fee: 14.00 × 8 %
    public void RoundsTaxOnceToCentsWithMidpointsAwayFromZero(double taxRate, double fee, double subtotal, double tax, double total)
    {
        var pricer = Pricer((decimal)fee, (decimal)taxRate);

        var result = Assert.IsType<PricingResult.Confirmed>(pricer.Price(Order(new OrderLine("margherita", 1))));

        Assert.Equal((decimal)subtotal, result.Order.Subtotal);
        Assert.Equal((decimal)tax, result.Order.Tax);
        Assert.Equal((decimal)total, result.Order.Total);
        Assert.Equal(result.Order.Subtotal + result.Order.DeliveryFee + result.Order.Tax, result.Order.Total);
    }

    [Theory]
    [InlineData("caviar", 1, RejectionReasons.UnknownItem)]
    [InlineData("pumpkin-soup", 1, RejectionReasons.DiscontinuedItem)]
    [InlineData("cola", 0, RejectionReasons.QuantityOutOfRange)]
    [InlineData("cola", -2, RejectionReasons.QuantityOutOfRange)]
    [InlineData("cola", OrderLimits.MaxQuantity + 1, RejectionReasons.QuantityOutOfRange)]
    [InlineData("cola", int.MaxValue, RejectionReasons.QuantityOutOfRange)]
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

    [Theory]
    [InlineData("2.5", "2.50", "25.40", "2.23", "30.13")]
    [InlineData("3", "3.00", "25.40", "2.27", "30.67")]
    public void EveryAmountHasTwoDecimalsHoweverTheFeeWasWritten(string configuredFee, string fee, string subtotal, string tax, string total)
    {
        var pricer = Pricer(decimal.Parse(configuredFee, System.Globalization.CultureInfo.InvariantCulture), 0.08m);

        var result = Assert.IsType<PricingResult.Confirmed>(pricer.Price(Order(new OrderLine("margherita", 2), new OrderLine("cola", 1))));

        var json = System.Text.Json.JsonSerializer.Serialize(result.Order, ContractsJsonContext.Default.OrderConfirmed);
        Assert.Contains($"\"subtotal\":{subtotal},\"deliveryFee\":{fee},\"tax\":{tax},\"total\":{total}", json);
    }

    private static OrderPricer Pricer(decimal deliveryFee, decimal taxRate, PricingOptions? limits = null)
    {
        var options = limits ?? new PricingOptions();
        options.DeliveryFee = deliveryFee;
        options.TaxRate = taxRate;
        return new(Options.Create(options), new FakeTimeProvider(Now));
    }

    private static OrderPlaced Order(params OrderLine[] lines) =>
        new(Guid.NewGuid(), Now.AddSeconds(-3), new Customer("cust-1", "Grace Hopper", "grace@example.com"), lines);
}
