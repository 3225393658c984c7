using FoodOrdering.Contracts;
using FoodOrdering.Producer.Generator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FoodOrdering.Tests.Unit;

public sealed class OrderGeneratorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GeneratesOneToFourDistinctMenuItemsWithPositiveQuantities()
    {
        var orders = Generator(seed: 1).Take(2_000).ToList();

        Assert.All(orders, order =>
        {
            Assert.InRange(order.Lines.Count, 1, 4);
            Assert.Equal(order.Lines.Count, order.Lines.Select(line => line.MenuItemId).Distinct().Count());
            Assert.All(order.Lines, line =>
            {
                Assert.True(Menu.TryGet(line.MenuItemId, out _), line.MenuItemId);
                Assert.InRange(line.Quantity, 1, 4);
            });
            Assert.Equal(Now, order.PlacedAt);
            Assert.Contains("@", order.Customer.Email);
        });
        Assert.Equal(orders.Count, orders.Select(order => order.OrderId).Distinct().Count());
        Assert.Equal([1, 2, 3, 4], orders.Select(order => order.Lines.Count).Distinct().Order());
    }

    [Fact]
    public void OrdersPizzaMoreOftenThanDesserts()
    {
        var categories = Generator(seed: 2).Take(2_000)
            .SelectMany(order => order.Lines)
            .Select(line => Menu.TryGet(line.MenuItemId, out var item) ? item.Category : "")
            .ToList();

        Assert.True(categories.Count(c => c == "Pizza") > 2 * categories.Count(c => c == "Desserts"));
    }

    [Fact]
    public void RepeatsItselfForTheSameSeed()
    {
        Assert.Equal(
            Generator(seed: 7).Take(50).Select(order => order with { Lines = [] }),
            Generator(seed: 7).Take(50).Select(order => order with { Lines = [] }));
    }

    [Fact]
    public void EveryGeneratedAddressIsAtADomainReservedForExamples()
    {
        string[] reserved = ["example.com", "example.org", "example.net"];
        var domains = new[] { 1, 2, 3, 4, 5 }.SelectMany(seed => Generator(seed).Take(2_000))
            .Select(order => order.Customer.Email.Split('@')[1])
            .ToHashSet();

        Assert.All(domains, domain => Assert.True(
            reserved.Contains(domain) || domain.EndsWith(".test", StringComparison.Ordinal) || domain.EndsWith(".invalid", StringComparison.Ordinal),
            $"{domain} is not reserved for examples"));
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Development", true)]
    public void IsOnByDefaultOnlyInDevelopment(string environment, bool enabled)
    {
        var producer = Path.Combine(RepositoryRoot(), "FoodOrdering.Producer");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(producer, "appsettings.json"))
            .AddJsonFile(Path.Combine(producer, $"appsettings.{environment}.json"), optional: true)
            .Build();

        var options = configuration.GetSection(OrderGeneratorOptions.SectionName).Get<OrderGeneratorOptions>() ?? new OrderGeneratorOptions();

        Assert.Equal(enabled, options.Enabled);
        Assert.False(new OrderGeneratorOptions().Enabled);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FoodOrdering.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("FoodOrdering.sln was not found above the test binaries.");
    }

    private static IEnumerable<OrderPlaced> Generator(int seed)
    {
        var generator = new OrderGenerator(Options.Create(new OrderGeneratorOptions { Seed = seed }), new FakeTimeProvider(Now));
        while (true)
        {
            yield return generator.Next();
        }
    }
}
