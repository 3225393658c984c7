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
        2.50m,
        2.53m,
        34.13m,
        "USD",
        "1 Apollo Way, Boston");

    private readonly ConfirmationEmail _email = new(Options.Create(new EmailOptions { ReplyToAddress = "help@foodordering.example" }));

    [Fact]
    public void IsAddressedToTheCustomerWithTheOrderIdInTheSubject()
    {
        var message = _email.Create(Order);

        Assert.Equal("margaret@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("orders@foodordering.example", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("help@foodordering.example", Assert.Single(message.ReplyTo.Mailboxes).Address);
        Assert.Equal("Your FoodOrdering order 0d9c8f4e-5b1a-4c7e-9f00-1234567890ab is confirmed", message.Subject);
    }

    [Fact]
    public void DerivesItsMessageIdFromTheOrderIdSoRedeliveriesCanBeDeduplicated()
    {
        Assert.Equal("order-0d9c8f4e5b1a4c7e9f001234567890ab@foodordering.example", _email.Create(Order).MessageId);
        Assert.Equal(_email.Create(Order).MessageId, _email.Create(Order).MessageId);
    }

    [Fact]
    public void CarriesEachHeaderOnceAndIsDatedWhenTheOrderWasConfirmed()
    {
        var message = _email.Create(Order);

        Assert.Equal(Order.ConfirmedAt, message.Date);
        Assert.All(
            [HeaderId.MessageId, HeaderId.Date, HeaderId.Subject, HeaderId.From, HeaderId.ReplyTo, HeaderId.To],
            id => Assert.Single(message.Headers, header => header.Id == id));
    }

    [Fact]
    public void HasAPlainTextPartThatReadsLikeAReceipt()
    {
        Assert.Equal(
            """
            Hi Margaret,

            Thank you for your order 0d9c8f4e-5b1a-4c7e-9f00-1234567890ab, placed 2026-11-25 18:05:09 UTC.

                2 x Pepperoni Pizza                 13.00     26.00
                1 x Homemade Lemonade                3.10      3.10

              Subtotal          29.10
              Delivery fee       2.50
              Tax                2.53
              Total             34.13 USD

            Delivering to: 1 Apollo Way, Boston

            Enjoy your meal!
            FoodOrdering

            """.ReplaceLineEndings("\n"),
            _email.Create(Order).TextBody?.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void HasAnHtmlPartWithATableOfLinesAndTheBreakdown()
    {
        var message = _email.Create(Order);

        Assert.Equal("alternative", Assert.IsType<MultipartAlternative>(message.Body).ContentType.MediaSubtype);
        Assert.Contains("<td>Pepperoni Pizza</td><td style=\"text-align:right\">2</td><td style=\"text-align:right\">13.00</td><td style=\"text-align:right\">26.00</td>", message.HtmlBody);
        Assert.Contains("<td colspan=\"3\">Tax</td><td style=\"text-align:right\">2.53</td>", message.HtmlBody);
        Assert.Contains("<td style=\"text-align:right\">34.13 USD</td>", message.HtmlBody);
        Assert.Contains("Hi Margaret,", message.HtmlBody);
    }

    [Fact]
    public void HostileCustomerTextCannotInjectMarkupOrHeaders()
    {
        var hostile = Order with
        {
            Customer = new Customer("cust-x", "<script>alert(1)</script>\r\nBcc: victim@example.com", "evil@example.com"),
            DeliveryAddress = "<img src=x onerror=alert(1)>",
        };

        var message = _email.Create(hostile);
        using var wire = new MemoryStream();
        message.WriteTo(wire);
        var raw = System.Text.Encoding.UTF8.GetString(wire.ToArray());

        Assert.DoesNotContain("<script>", message.HtmlBody);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", message.HtmlBody);
        Assert.DoesNotContain("<img", message.HtmlBody);
        Assert.Empty(message.Bcc);
        Assert.DoesNotContain("\nBcc:", raw);
        Assert.Equal("evil@example.com", Assert.Single(message.To.Mailboxes).Address);
    }

    [Fact]
    public void LineNamesAndTheCurrencyComeFromTheMenuNotFromTheRecord()
    {
        var hostile = Order with
        {
            Lines = [Order.Lines[0] with { Name = "<a href=\"https://evil.example\">Claim your refund</a>" }, Order.Lines[1] with { Name = "Free\r\nBcc: victim@example.com" }],
        };

        var message = _email.Create(hostile);

        Assert.DoesNotContain("evil.example", message.HtmlBody);
        Assert.DoesNotContain("refund", message.TextBody);
        Assert.DoesNotContain("victim", message.TextBody + message.HtmlBody);
        Assert.Contains("<td>Pepperoni Pizza</td>", message.HtmlBody);
        Assert.Contains("1 x Homemade Lemonade", message.TextBody);
    }
}
