using FoodOrdering.Contracts;
using FoodOrdering.Emails;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FoodOrdering.Tests.Unit;

public sealed class ConfirmationEmailTests
{
    private static readonly OrderConfirmed Order = new(
        Guid.Parse("0d9c8f4e-5b1a-4c7e-9f00-1234567890ab"),
        new DateTimeOffset(2026, 11, 25, 18, 5, 9, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 25, 18, 5, 10, TimeSpan.Zero),
        new Customer("cust-9", "Margaret Hamilton", "margaret@example.com"),
        [
            new PricedLine("pepperoni", "Pepperoni Pizza", 2, 13.00m, 26.00m),
            new PricedLine("lemonade", "Homemade Lemonade", 1, 3.10m, 3.10m),
        ],
        29.10m,
        "USD");

    private readonly ConfirmationEmail _email = new(Options.Create(new EmailOptions()));

    [Fact]
    public void IsAddressedToTheCustomerWithTheOrderIdInTheSubject()
    {
        var message = _email.Create(Order);

        Assert.Equal("margaret@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("orders@foodordering.example", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("Your FoodOrdering order 0d9c8f4e-5b1a-4c7e-9f00-1234567890ab is confirmed", message.Subject);
    }

    [Fact]
    public void DerivesItsMessageIdFromTheOrderIdSoRedeliveriesCanBeDeduplicated()
    {
        Assert.Equal("order-0d9c8f4e5b1a4c7e9f001234567890ab@foodordering.example", _email.Create(Order).MessageId);
        Assert.Equal(_email.Create(Order).MessageId, _email.Create(Order).MessageId);
    }

    [Fact]
    public void ListsTheLinesAndTheTotal()
    {
        var text = Assert.IsType<TextPart>(_email.Create(Order).Body).Text;

        Assert.StartsWith("Hi Margaret,", text);
        Assert.Contains("placed 2026-11-25 18:05:09 UTC", text);
        Assert.Contains("  2 x Pepperoni Pizza                 13.00     26.00", text);
        Assert.Contains("  1 x Homemade Lemonade                3.10      3.10", text);
        Assert.Contains("Total: 29.10 USD", text);
    }
}
