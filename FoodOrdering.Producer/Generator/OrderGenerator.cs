using Bogus;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Producer.Generator;

/// <summary>
/// Realistic orders: a recurring pool of customers, 1–4 distinct menu items per order with pizzas and fries
/// ordered more often than desserts, and mostly small quantities. Every customer's address is at a domain
/// reserved for examples (RFC 2606), so no generated order can email a real person.
/// </summary>
internal sealed class OrderGenerator
{
    private const int CustomerPoolSize = 500;

    private static readonly string[] ReservedDomains = ["example.com", "example.org", "example.net"];

    private static readonly IReadOnlyDictionary<string, float> CategoryPopularity = new Dictionary<string, float>
    {
        ["Pizza"] = 5f,
        ["Burgers"] = 4f,
        ["Sides"] = 4f,
        ["Drinks"] = 3.5f,
        ["Wraps"] = 2f,
        ["Salads"] = 1.5f,
        ["Desserts"] = 1f,
    };

    private readonly Faker _faker;
    private readonly (Customer Customer, string Address)[] _customers;
    private readonly MenuItem[] _items = [.. Menu.Items];
    private readonly float[] _weights;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public OrderGenerator(IOptions<OrderGeneratorOptions> options, TimeProvider time)
    {
        _time = time;
        _faker = new Faker { Random = options.Value.Seed is { } seed ? new Randomizer(seed) : new Randomizer() };
        // Bogus' WeightedRandom expects weights that sum to 1.
        var popularity = _items.Select(item => CategoryPopularity.GetValueOrDefault(item.Category, 1f)).ToArray();
        _weights = [.. popularity.Select(weight => weight / popularity.Sum())];
        _customers = [.. Enumerable.Range(0, CustomerPoolSize).Select(_ => NewCustomer())];
    }

    public OrderPlaced Next()
    {
        // Bogus' Faker is not thread-safe; the generator is shared by the worker and (later) the HTTP controls.
        lock (_lock)
        {
            var lineCount = _faker.Random.WeightedRandom([1, 2, 3, 4], [0.35f, 0.35f, 0.2f, 0.1f]);
            var lines = new List<OrderLine>(lineCount);
            while (lines.Count < lineCount)
            {
                var item = _faker.Random.WeightedRandom(_items, _weights);
                if (!lines.Exists(line => line.MenuItemId == item.Id))
                {
                    lines.Add(new OrderLine(item.Id, _faker.Random.WeightedRandom([1, 2, 3, 4], [0.6f, 0.25f, 0.1f, 0.05f])));
                }
            }

            var (customer, address) = _faker.PickRandom(_customers);
            return new OrderPlaced(_faker.Random.Guid(), _time.GetUtcNow(), customer, lines, address);
        }
    }

    private (Customer, string) NewCustomer()
    {
        var first = _faker.Name.FirstName();
        var last = _faker.Name.LastName();
        var customer = new Customer($"cust-{_faker.Random.AlphaNumeric(8)}", $"{first} {last}", _faker.Internet.Email(first, last, _faker.PickRandom(ReservedDomains)).ToLowerInvariant());
        return (customer, $"{_faker.Address.StreetAddress()}, {_faker.Address.ZipCode()} {_faker.Address.City()}");
    }
}
