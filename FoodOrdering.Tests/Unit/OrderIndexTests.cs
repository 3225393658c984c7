using FoodOrdering.Operations.Log;

namespace FoodOrdering.Tests.Unit;

/// <summary>The console's order index: the newest records by key, in a fixed capacity however long it runs.</summary>
public sealed class OrderIndexTests
{
    private const int Capacity = 1_000;
    private const string Received = "orders.received";
    private const string Confirmed = "orders.confirmed";

    [Fact]
    public void WhenFullItKeepsTheNewestRecordsAndForgetsTheOldest()
    {
        var index = new OrderIndex(Capacity);
        var keys = Enumerable.Range(0, Capacity + 500).Select(Key).ToList();

        for (var offset = 0; offset < keys.Count; offset++)
        {
            index.Add(keys[offset], new RecordCoordinates(Received, 0, offset));
        }

        Assert.All(keys.Take(500), key => Assert.Empty(index.Find(key)));
        Assert.All(Enumerable.Range(500, Capacity), offset => Assert.Equal([new RecordCoordinates(Received, 0, offset)], index.Find(keys[offset])));
        Assert.Equal([new RecordCoordinates(Received, 0, 500)], index.HeldFrom());
    }

    [Fact]
    public void AKeyWithRecordsOnBothSidesOfTheEdgeIsFoundByTheNewerOnesOnly()
    {
        var index = new OrderIndex(Capacity);
        const string order = "order-on-the-edge";
        index.Add(order, new RecordCoordinates(Received, 1, 0));
        AddFillers(index, Confirmed, Capacity - 10);
        index.Add(order, new RecordCoordinates(Confirmed, 2, 7));

        // Past the edge: the order's first record's slot now holds another key's entry.
        AddFillers(index, Received, 20, firstOffset: 1);

        Assert.Equal([new RecordCoordinates(Confirmed, 2, 7)], index.Find(order));
        Assert.Equal([new RecordCoordinates(Confirmed, 1, 11), new RecordCoordinates(Received, 1, 1)], index.HeldFrom());
    }

    [Fact]
    public void AnOrdersRecordsAreFoundNewestFirstAcrossTopicsWhileHeld()
    {
        var index = new OrderIndex(Capacity);
        const string order = "an-order";

        index.Add(order, new RecordCoordinates(Received, 0, 3));
        index.Add("another", new RecordCoordinates(Received, 0, 4));
        index.Add(order, new RecordCoordinates(Confirmed, 1, 9));

        Assert.Equal([new RecordCoordinates(Confirmed, 1, 9), new RecordCoordinates(Received, 0, 3)], index.Find(order));
        Assert.Empty(index.HeldFrom());
        Assert.Empty(index.Find("never-written"));
    }

    [Fact]
    public void TheKeysHeldStayWithinTheCapacityAfterManyDistinctKeys()
    {
        var index = new OrderIndex(Capacity);

        for (var n = 0; n < 100 * Capacity; n++)
        {
            // Most orders have several records, some only one.
            index.Add(Key(n / (1 + n % 3)), new RecordCoordinates(Received, n % 3, n));
        }

        Assert.InRange(index.Keys, 1, Capacity);
        Assert.Equal(3, index.HeldFrom().Count);
    }

    [Fact]
    public void AKeyForgottenAndWrittenAgainIsFoundByItsNewRecord()
    {
        var index = new OrderIndex(Capacity);
        index.Add("returning", new RecordCoordinates(Received, 0, 0));
        AddFillers(index, Received, Capacity, firstOffset: 1);

        index.Add("returning", new RecordCoordinates(Confirmed, 0, 42));

        Assert.Equal([new RecordCoordinates(Confirmed, 0, 42)], index.Find("returning"));
    }

    private static void AddFillers(OrderIndex index, string topic, int count, int firstOffset = 0)
    {
        for (var n = 0; n < count; n++)
        {
            index.Add($"filler-{topic}-{firstOffset + n}", new RecordCoordinates(topic, 1, firstOffset + n));
        }
    }

    private static string Key(int n) => $"order-{n}";
}
