using FoodOrdering.Contracts;
using FoodOrdering.Producer.Orders;

namespace FoodOrdering.Tests.Unit;

/// <summary>The one address rule, and the order API's validator using it.</summary>
public sealed class EmailAddressRuleTests
{
    public static TheoryData<string> Refused =>
    [
        "",
        "jane@-example.com",
        "jane@example-.com",
        "jane@exa_mple.com",
        "jane@exa$mple.com",
        "jane@exa!mple.com",
        "jane@exa mple.com",
        "jane@example..com",
        "jane@.example.com",
        "jane@example.com.",
        "jane@localhost",
        "jane@example.123",
        "jane@[192.0.2.1]",
        "jane@" + new string('a', 64) + ".com",
        "jane@" + string.Join('.', Enumerable.Repeat(new string('a', 60), 5)) + ".com",
        "@example.com",
        "jane@",
        "jane",
        ".jane@example.com",
        "jane.@example.com",
        "ja..ne@example.com",
        "ja ne@example.com",
        "jäne@example.com",
        "\"ja\"ne\"@example.com",
        "\"jane\\\"@example.com",
        new string('j', 65) + "@example.com",
    ];

    public static TheoryData<string> Accepted =>
    [
        "jane@example.com",
        "Jane.Doe+orders@Sub.Example.co.uk",
        "jane@bücher.example",
        "jane@xn--bcher-kva.example",
        "jane@例え.テスト",
        "o'brien@example.ie",
        "jane@1example.com",
        "jane@a-b.c-d.example",
        "jane@example.xn--p1ai",
        "\"jane doe\"@example.com",
        "\"ja\\\"ne\"@example.com",
        new string('j', 64) + "@" + new string('a', 63) + ".example",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public void AnAddressWhoseDomainIsNoHostNameOrWhoseLocalPartNoServerTakesIsRefusedWithAReason(string address) =>
        Assert.False(string.IsNullOrWhiteSpace(EmailAddressRule.Problem(address)), $"'{address}' was accepted");

    [Theory]
    [MemberData(nameof(Accepted))]
    public void AnAddressMailServersTakeIsAcceptedInternationalizedDomainsIncluded(string address) =>
        Assert.Null(EmailAddressRule.Problem(address));

    [Theory]
    [InlineData("jane@-example.com", false)]
    [InlineData("jane@exa_mple.com", false)]
    [InlineData("jane@bücher.example", true)]
    public void TheOrderApiAppliesTheSameRuleToTheCustomersEmail(string email, bool accepted)
    {
        var errors = OrderRequestValidator.Validate(new PlaceOrderRequest(new CustomerDetails("Jane", email), "1 Main St", [new OrderLineRequest("cola", 1)]));

        Assert.Equal(accepted, !errors.ContainsKey("customer.email"));
    }
}
