using System.Text.Json.Nodes;

namespace FoodOrdering.Operations.Records;

/// <summary>
/// Masks customer data in a record's JSON before the console shows it: names, email addresses and delivery addresses
/// wherever they are, by property name (any message, any nesting), and email addresses inside any other text.
/// </summary>
internal static class CustomerDataMask
{
    private const string Masked = "***";

    private static readonly HashSet<string> Addresses = new(["email", "recipient"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> Hidden = new(["name", "deliveryAddress", "address", "phone"], StringComparer.OrdinalIgnoreCase);

    public static void Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (name, value) in json.ToList())
                {
                    if (value is JsonValue leaf && leaf.TryGetValue<string>(out var text))
                    {
                        json[name] = Addresses.Contains(name) ? Pii.MaskEmail(text) : Hidden.Contains(name) ? Masked : Pii.MaskEmailsIn(text);
                    }
                    else
                    {
                        Mask(value);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue leaf && leaf.TryGetValue<string>(out var text))
                    {
                        array[i] = Pii.MaskEmailsIn(text);
                    }
                    else
                    {
                        Mask(array[i]);
                    }
                }

                break;
        }
    }
}
