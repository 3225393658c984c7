using System.Reflection;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Unit;

/// <summary>
/// docs/walkthrough.md against the code, as its opening comment says: the files it links and names, the
/// <c>Type.Member</c> names it gives in them, its anchors and its count of files; and each kind of mistake, made in a
/// copy of the page, is caught.
/// </summary>
public sealed class WalkthroughTests
{
    private const string Page = "docs/walkthrough.md";

    private static readonly string Root = KestrelService.RepositoryPath("");
    private static readonly string Docs = KestrelService.RepositoryPath("docs");

    [Fact]
    public void EveryFileTypeMemberAnchorAndCountTheWalkthroughNamesIsInTheCode()
    {
        var page = File.ReadAllText(KestrelService.RepositoryPath(Page));

        var problems = WalkthroughCheck.Problems(page, Docs, Root);

        Assert.True(problems.Count == 0, $"{Page} does not match the code:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void TheWalkthroughNamesTheMethodsOfEveryStep()
    {
        var page = File.ReadAllText(KestrelService.RepositoryPath(Page));

        var members = WalkthroughCheck.NamedMembers(page, Docs, Root);

        // One order's way in names at least these; a page whose names the check no longer finds would pass empty.
        Assert.Contains("OrdersApi.PlaceOrderAsync", members);
        Assert.Contains("TransactionalOrderDelivery.TryCommit", members);
        Assert.Contains("OrderConfirmedHandler.HandleAsync", members);
        Assert.Contains("OrderTrackingBoard.Find", members);
        Assert.Contains("KafkaTelemetry.StartProcess", members);
    }

    [Fact]
    public void EveryTypeMemberTheWalkthroughNamesIsAMemberOfThatTypeInTheBuiltServices()
    {
        var page = File.ReadAllText(KestrelService.RepositoryPath(Page));

        var missing = NotInTheBuiltTypes(page);

        Assert.True(missing.Count == 0, $"{Page} names members no built type of that name has:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void AMemberOfAnotherTypeInTheSameFileIsFoundInTheBuiltTypes()
    {
        // KeyedOrder.cs declares the enum KeyedOrderState and its Placed beside KeyedOrder: the file holds both names.
        var page = File.ReadAllText(KestrelService.RepositoryPath(Page))
            + "\n[`KeyedOrder.cs`](../FoodOrdering.Producer/Orders/KeyedOrder.cs): `KeyedOrder.Placed`, `KeyedOrder.Order`.\n";

        var missing = NotInTheBuiltTypes(page);

        Assert.Equal(["KeyedOrder.Placed"], missing);
    }

    [Theory]
    [InlineData("`OrderIntake.PlaceAsync`", "`OrderIntake.PlaceOrderAsync`", "declares no member PlaceOrderAsync")]
    [InlineData("`OrderPricer.Price`", "`OrderRecordProcessor.Price`", "declares no type OrderRecordProcessor")]
    [InlineData("`OffsetCommit.InTransaction`", "`OffsetCommit.InTransactions`", "declares no member InTransactions")]
    [InlineData("../FoodOrdering.Transactions/OrderPricer.cs", "../FoodOrdering.Transactions/Pricing/OrderPricer.cs", "no such file")]
    [InlineData("guarantees.md#one-order-id-one-order", "guarantees.md#one-id-one-order", "has no heading #one-id-one-order")]
    [InlineData("(`InMemoryIdempotencyKeys.cs`", "(`MemoryIdempotencyKeys.cs`", "`MemoryIdempotencyKeys.cs` is no file")]
    [InlineData("[`Placement.cs`](../FoodOrdering.Producer/Orders/Placement.cs)", "[`Placement.cs`](../FoodOrdering.Producer/Orders/KeyClaim.cs)", "a file of another name")]
    [InlineData("## 1. The page", "`OrderPricer.Price`\n\n## 1. The page", "`OrderPricer.Price` follows no .cs file")]
    [InlineData("**In all: 84 files.**", "**In all: 85 files.**", "the parts add up to 84")]
    [InlineData("**Tracking (1)**: OrderTrackingWorker.", "**Tracking (2)**: OrderTrackingWorker.", "Tracking says 2 files and names 1")]
    [InlineData("**Tracking (1)**: OrderTrackingWorker.", "**Tracking (1)**: OrderTrackingWorkers.", "OrderTrackingWorkers is no file")]
    public void EachKindOfMistakeInTheWalkthroughIsFound(string written, string mistaken, string found)
    {
        var page = File.ReadAllText(KestrelService.RepositoryPath(Page));
        Assert.Contains(written, page, StringComparison.Ordinal);

        var problems = WalkthroughCheck.Problems(page.Replace(written, mistaken, StringComparison.Ordinal), Docs, Root);

        Assert.Contains(problems, problem => problem.Contains(found, StringComparison.Ordinal));
    }

    private static List<string> NotInTheBuiltTypes(string page)
    {
        var types = ShippedTypes().ToLookup(type => type.Name.Split('`')[0], StringComparer.Ordinal);
        return [.. WalkthroughCheck.NamedMembers(page, Docs, Root)
            .Where(name => name.Split('.') is [var type, var member] && !types[type].Any(found => Declares(found, member)))];
    }

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private static bool Declares(Type type, string member) =>
        member == type.Name.Split('`')[0] ? type.GetConstructors(Declared).Length > 0 : type.GetMember(member, Declared).Length > 0;

    // The source check finds declarations by their shape; this one asks the compiled services, which a misread shape cannot fool.
    private static IEnumerable<Type> ShippedTypes() => ShippedAssemblies.All().SelectMany(ShippedAssemblies.Types);
}
