using System.Globalization;
using System.Text;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FoodOrdering.Emails;

/// <summary>The confirmation a customer receives for a confirmed order.</summary>
internal sealed class ConfirmationEmail(IOptions<EmailOptions> options)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public MimeMessage Create(OrderConfirmed order)
    {
        var settings = options.Value;
        var message = new MimeMessage
        {
            MessageId = $"order-{order.OrderId:N}@{settings.MessageIdDomain}",
            Subject = $"Your FoodOrdering order {order.OrderId} is confirmed",
            Body = new TextPart("plain") { Text = Text(order) },
        };
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        message.To.Add(new MailboxAddress(order.Customer.Name, order.Customer.Email));
        message.Date = order.ConfirmedAt;
        return message;
    }

    private static string Text(OrderConfirmed order)
    {
        var firstName = order.Customer.Name.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? order.Customer.Name;
        var text = new StringBuilder()
            .Append(Invariant, $"Hi {firstName},\n\n")
            .Append(Invariant, $"Thank you for your order {order.OrderId}, placed {order.PlacedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.\n\n");
        foreach (var line in order.Lines)
        {
            text.Append(Invariant, $"  {line.Quantity,3} x {line.Name,-28} {line.UnitPrice,8:0.00} {line.LineTotal,9:0.00}\n");
        }

        return text
            .Append(Invariant, $"\n  Total: {order.Total:0.00} {order.Currency}\n\nEnjoy your meal!\nFoodOrdering\n")
            .ToString();
    }
}
