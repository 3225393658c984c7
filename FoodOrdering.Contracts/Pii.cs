namespace FoodOrdering;

/// <summary>Masks customer data before it reaches a log line.</summary>
public static class Pii
{
    /// <summary><c>jane.doe@example.com</c> becomes <c>j***@example.com</c>; anything that is not an address becomes <c>***</c>.</summary>
    public static string MaskEmail(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at > 0 ? $"{email![0]}***{email[at..]}" : "***";
    }
}
