using System.Globalization;
using System.Net;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FoodOrdering.Emails;

/// <summary>
/// The confirmation a customer receives for a confirmed order (one <see cref="TrustedConfirmation"/> passed): HTML
/// and plain text rendered from the templates in <c>Templates/</c>. Line names and the currency come from the menu;
/// the customer's own text (name, address) loses its control characters, is HTML-encoded in the HTML part, and
/// reaches a header only as the recipient's display name, which MimeKit encodes.
/// </summary>
internal sealed class ConfirmationEmail(IOptions<EmailOptions> options)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly EmailTemplate Html = EmailTemplate.Load("Confirmation.html", WebUtility.HtmlEncode);
    private static readonly EmailTemplate Text = EmailTemplate.Load("Confirmation.txt", value => value);

    public static string MessageIdFor(Guid orderId, string domain) => $"order-{orderId:N}@{domain}";

    public string MessageIdOf(OrderConfirmed order) => MessageIdFor(order.OrderId, options.Value.MessageIdDomain);

    public MimeMessage Create(OrderConfirmed order)
    {
        var settings = options.Value;

        // MimeMessage() makes a Message-Id of its own (random bytes, and the host name through IDNA) that would only be
        // replaced; starting from no headers skips that work for every email.
        var message = new MimeMessage(headers: [])
        {
            MessageId = MessageIdFor(order.OrderId, settings.MessageIdDomain),
            Subject = $"Your FoodOrdering order {order.OrderId} is confirmed",
            Date = order.ConfirmedAt,
        };
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        if (!string.IsNullOrWhiteSpace(settings.ReplyToAddress))
        {
            message.ReplyTo.Add(new MailboxAddress(settings.FromName, settings.ReplyToAddress));
        }

        message.To.Add(new MailboxAddress(Clean(order.Customer.Name), order.Customer.Email));

        message.Body = new BodyBuilder
        {
            TextBody = Text.Render(Values(order, amountWidth: 10), order.Lines.Select(line => TextLine(line))),
            HtmlBody = Html.Render(Values(order, amountWidth: 0), order.Lines.Select(line => HtmlLine(line))),
        }.ToMessageBody();
        return message;
    }

    private static Dictionary<string, string> Values(OrderConfirmed order, int amountWidth) => new()
    {
        ["FirstName"] = Clean(order.Customer.Name).Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "",
        ["OrderId"] = order.OrderId.ToString(),
        ["PlacedAt"] = order.PlacedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant),
        ["Subtotal"] = Money(order.Subtotal, amountWidth),
        ["DeliveryFee"] = Money(order.DeliveryFee, amountWidth),
        ["Tax"] = Money(order.Tax, amountWidth),
        ["Total"] = Money(order.Total, amountWidth),
        ["Currency"] = Menu.Currency,
        ["DeliveryAddress"] = order.DeliveryAddress is { } address ? Clean(address) : "(pick-up)",
    };

    private static Dictionary<string, string> TextLine(PricedLine line) => new()
    {
        ["Quantity"] = line.Quantity.ToString(Invariant).PadLeft(3),
        ["Item"] = NameOf(line).PadRight(28),
        ["UnitPrice"] = Money(line.UnitPrice, 8),
        ["LineTotal"] = Money(line.LineTotal, 9),
    };

    private static Dictionary<string, string> HtmlLine(PricedLine line) => new()
    {
        ["Quantity"] = line.Quantity.ToString(Invariant),
        ["Item"] = NameOf(line),
        ["UnitPrice"] = Money(line.UnitPrice, 0),
        ["LineTotal"] = Money(line.LineTotal, 0),
    };

    private static string NameOf(PricedLine line) =>
        Menu.TryGetEver(line.MenuItemId, out var item) ? item.Name : throw new InvalidOperationException("Only a trusted confirmation is rendered.");

    private static string Money(decimal amount, int width) => amount.ToString("0.00", Invariant).PadLeft(width);

    // Line breaks in customer text could forge headers or body lines; the order API refuses them, other producers might not.
    private static string Clean(string text) => new([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
}
