using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using Xunit.Abstractions;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// Random and boundary bodies against <c>POST /orders</c>: the API answers each with a client error or a 201,
/// never a server error, and every 201 order is on the log.
/// </summary>
public sealed class OrderApiFuzzTests(ITestOutputHelper output)
{
    private const string Valid = """
        {"customer":{"name":"Ada Lovelace","email":"ada@example.com"},"deliveryAddress":"12 Analytical St",
         "lines":[{"menuItemId":"margherita","quantity":2},{"menuItemId":"cola","quantity":1}]}
        """;

    private static readonly HttpStatusCode[] Expected =
        [HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge];

    [Fact]
    public async Task RandomAndBoundaryBodiesNeverGetAServerError()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new() { ["OrderApi:OrdersPerSecondPerClient"] = "0" });
        var random = new Random(20261125);
        var bodies = Boundaries().Concat(Enumerable.Range(0, 400).Select(_ => Mutate(random))).ToList();
        var answers = new Dictionary<HttpStatusCode, int>();
        var created = new List<Guid>();

        foreach (var body in bodies)
        {
            using var response = await producer.Client.PostAsync("/orders", new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } });
            Assert.True(Expected.Contains(response.StatusCode), $"{(int)response.StatusCode} for {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)])}");
            answers[response.StatusCode] = answers.GetValueOrDefault(response.StatusCode) + 1;
            if (response.StatusCode == HttpStatusCode.Created)
            {
                created.Add(Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]));
            }
        }

        output.WriteLine(string.Join(", ", answers.Select(pair => $"{(int)pair.Key}: {pair.Value}")));
        var published = TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived, ContractsJsonContext.Default.OrderPlaced);
        Assert.Equal(created.Order(), published.Select(order => order.OrderId).Order());
        Assert.True(answers.GetValueOrDefault(HttpStatusCode.BadRequest) > 100, "the mutations should mostly break the order");
        Assert.True(created.Count >= 50, "the random valid orders should be accepted");
    }

    private static IEnumerable<byte[]> Boundaries() =>
    [
        [],
        "null"u8.ToArray(),
        "{}"u8.ToArray(),
        "[]"u8.ToArray(),
        "\"order\""u8.ToArray(),
        Encoding.UTF8.GetBytes(new string('[', 10_000)),
        Encoding.UTF8.GetBytes(Valid.Replace("12 Analytical St", new string('x', 16_000), StringComparison.Ordinal)),
        Encoding.UTF8.GetBytes(Valid.Replace("\"quantity\":2", "\"quantity\":99999999999999999999", StringComparison.Ordinal)),
        Encoding.UTF8.GetBytes(Valid.Replace("\"quantity\":2", "\"quantity\":2.5", StringComparison.Ordinal)),
        Encoding.UTF8.GetBytes(Valid.Replace("Ada Lovelace", "\\u0000\\ud800", StringComparison.Ordinal)),
        [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Valid)],
        [.. Encoding.UTF8.GetBytes(Valid)[..40], 0xC3, 0x28, 0xFF],
    ];

    private static byte[] Mutate(Random random)
    {
        if (random.Next(5) == 0)
        {
            return Encoding.UTF8.GetBytes(RandomValidOrder(random).ToJsonString());
        }

        var root = JsonNode.Parse(Valid)!;
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var (parent, key) = PickSlot(root, random);
            switch (random.Next(3))
            {
                case 0 when parent is JsonObject obj:
                    obj.Remove(key);
                    break;
                case 1 when parent is JsonObject obj:
                    obj[$"extra{random.Next(100)}"] = RandomValue(random, 0);
                    break;
                default:
                    if (parent is JsonObject target)
                    {
                        target[key] = RandomValue(random, 0);
                    }

                    break;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(root.ToJsonString());
        return random.Next(10) switch
        {
            0 => bytes[..random.Next(bytes.Length)],
            1 => Flip(bytes, random),
            _ => bytes,
        };
    }

    // Valid by every rule, but with random items, quantities and non-ASCII names: these must all be accepted.
    private static JsonObject RandomValidOrder(Random random) => new()
    {
        ["customer"] = new JsonObject
        {
            ["name"] = new string([.. Enumerable.Range(0, random.Next(1, 60)).Select(_ => (char)random.Next(0x41, 0x24F)).Where(char.IsLetter)]) is { Length: > 0 } name ? name : "Zoë",
            ["email"] = $"user{random.Next(1000)}@example.com",
        },
        ["deliveryAddress"] = $"{random.Next(1, 999)} Rue de l'Été",
        ["lines"] = new JsonArray([.. Enumerable.Range(0, random.Next(1, OrderLimits.MaxLines + 1)).Select(_ => (JsonNode)new JsonObject
        {
            ["menuItemId"] = Menu.Items[random.Next(Menu.Items.Count)].Id,
            ["quantity"] = random.Next(1, OrderLimits.MaxQuantity + 1),
        })]),
    };

    private static (JsonNode Parent, string Key) PickSlot(JsonNode root, Random random)
    {
        var slots = new List<(JsonNode, string)>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj.ToList())
                    {
                        slots.Add((obj, key));
                        Walk(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(root);
        return slots[random.Next(slots.Count)];
    }

    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth > 3 ? 7 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.NextInt64(long.MinValue, long.MaxValue)),
        3 => JsonValue.Create(random.NextDouble() * Math.Pow(10, random.Next(-5, 30))),
        4 => JsonValue.Create(new string((char)random.Next(0x20, 0x2FFF), random.Next(0, 300))),
        5 => JsonValue.Create("x\r\nBcc: a@b.c<script>"),
        6 => JsonValue.Create(Menu.Items[random.Next(Menu.Items.Count)].Id),
        7 => new JsonArray([.. Enumerable.Range(0, random.Next(0, 25)).Select(_ => RandomValue(random, depth + 1))]),
        _ => new JsonObject { ["menuItemId"] = RandomValue(random, depth + 1), ["quantity"] = RandomValue(random, depth + 1) },
    };

    private static byte[] Flip(byte[] bytes, Random random)
    {
        var copy = bytes.ToArray();
        copy[random.Next(copy.Length)] = (byte)random.Next(256);
        return copy;
    }
}
