using FoodOrdering.Contracts;
using FoodOrdering.Emails;

namespace FoodOrdering.Tests.Unit;

/// <summary>What Emails refuses to show: confirmations Transactions could not have written.</summary>
public sealed class TrustedConfirmationTests
{
    private static readonly OrderConfirmed Order = new(
        Guid.NewGuid(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, new Customer("c", "Ada Lovelace", "ada@example.com"),
        [new PricedLine("pepperoni", "Pepperoni Pizza", 2, 13.00m, 26.00m), new PricedLine("pumpkin-soup", "Seasonal Pumpkin Soup", 1, 6.20m, 6.20m)],
        32.20m, 2.50m, 2.87m, 37.57m, Menu.Currency);

    public static TheoryData<string, OrderConfirmed> Untrusted => new()
    {
        { "another currency", Order with { Currency = "EUR" } },
        { "a currency with markup", Order with { Currency = "<b>USD</b>" } },
        { "an item not on the menu", Order with { Lines = [Order.Lines[0] with { MenuItemId = "<script>" }, Order.Lines[1]] } },
        { "a unit price not the menu's", Order with { Lines = [Order.Lines[0] with { UnitPrice = 0.01m, LineTotal = 0.02m }, Order.Lines[1]], Subtotal = 6.22m, Total = 11.59m } },
        { "a line that does not add up", Order with { Lines = [Order.Lines[0] with { LineTotal = 1m }, Order.Lines[1]] } },
        { "a quantity above the limit", Order with { Lines = [Order.Lines[0] with { Quantity = 1_000, LineTotal = 13_000m }, Order.Lines[1]] } },
        { "a subtotal that is not the lines'", Order with { Subtotal = 1m, Total = 6.37m } },
        { "a total that is not the sum", Order with { Total = 0.01m } },
        { "a negative fee", Order with { DeliveryFee = -2.50m, Total = 32.57m } },
        { "no lines", Order with { Lines = [], Subtotal = 0m, Total = 5.37m } },
        { "a null line", Order with { Lines = [null!] } },
    };

    [Fact]
    public void AConfirmationAsTransactionsWritesItIsTrustedDiscontinuedItemsIncluded()
    {
        Assert.Null(TrustedConfirmation.Problem(Order));
    }

    [Theory]
    [MemberData(nameof(Untrusted))]
    public void AConfirmationTransactionsCouldNotHaveWrittenIsRefusedInWordsThatRepeatNoneOfIt(string what, OrderConfirmed order)
    {
        var problem = TrustedConfirmation.Problem(order);

        Assert.False(string.IsNullOrWhiteSpace(problem), what);
        Assert.DoesNotContain("<", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("EUR", problem, StringComparison.Ordinal);
    }
}
