using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Emails;

internal sealed class EmailOptions
{
    public const string SectionName = "Email";

    [Required]
    public string FromName { get; set; } = "FoodOrdering";

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "orders@foodordering.example";

    /// <summary>The domain part of every <c>Message-Id</c>; ids are derived from order ids so receivers can de-duplicate.</summary>
    [Required]
    public string MessageIdDomain { get; set; } = "foodordering.example";
}
