using FoodOrdering.Contracts;

namespace FoodOrdering.Producer.Orders;

/// <summary>Field-level rules for <c>POST /orders</c>; error keys are the JSON paths a client sent.</summary>
internal static class OrderRequestValidator
{
    public const int MaxLines = OrderLimits.MaxLines;
    public const int MaxQuantity = OrderLimits.MaxQuantity;
    public const int MaxNameLength = 100;
    public const int MaxEmailLength = EmailAddressRule.MaxLength;
    public const int MaxAddressLength = 200;

    public static Dictionary<string, string[]> Validate(PlaceOrderRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Customer is null)
        {
            errors["customer"] = ["The customer (name and email) is required."];
        }
        else
        {
            Text(errors, "customer.name", request.Customer.Name, MaxNameLength);
            if (Text(errors, "customer.email", request.Customer.Email, MaxEmailLength) && EmailAddressRule.Problem(request.Customer.Email) is { } problem)
            {
                errors["customer.email"] = [$"Not an email address mail servers take: {problem}"];
            }
        }

        Text(errors, "deliveryAddress", request.DeliveryAddress, MaxAddressLength);

        if (request.Lines is not { Count: > 0 and <= MaxLines } lines)
        {
            errors["lines"] = [request.Lines is { Count: > 0 }
                ? $"An order has at most {MaxLines} lines."
                : "Choose at least one item from the menu."];
            return errors;
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line is null)
            {
                errors[$"lines[{i}]"] = ["A line needs a menuItemId and a quantity."];
                continue;
            }

            var known = Menu.TryGet(line.MenuItemId ?? "", out var item);
            if (!known)
            {
                errors[$"lines[{i}].menuItemId"] = [$"'{line.MenuItemId}' is not on the menu (GET /menu)."];
            }

            if (line.Quantity is not (>= 1 and <= MaxQuantity))
            {
                errors[$"lines[{i}].quantity"] = [known ? $"Quantity of {item!.Name} must be 1 to {MaxQuantity}." : $"Quantity must be 1 to {MaxQuantity}."];
            }
        }

        return errors;
    }

    private static bool Text(Dictionary<string, string[]> errors, string field, string? value, int maxLength)
    {
        string? error = value switch
        {
            null or "" => "Required.",
            _ when string.IsNullOrWhiteSpace(value) => "Required.",
            _ when value.Length > maxLength => $"At most {maxLength} characters.",
            _ when value.Any(char.IsControl) => "Control characters (such as line breaks) are not allowed.",
            _ => null,
        };
        if (error is not null)
        {
            errors[field] = [error];
        }

        return error is null;
    }
}
