using FoodOrdering.Operations.Log;

namespace FoodOrdering.Tests.Unit;

/// <summary>What the console keeps of one partition: runs of record offsets and a sparse index of their times.</summary>
public sealed class PartitionRecordsTests
{
    private static readonly DateTime Start = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ASearchForATimeStartsWhereEveryRecordBeforeIsOlderThoughTimestampsDoNotGrowWithOffsets()
    {
        var random = new Random(25);
        var records = new PartitionRecords();
        // Producers set timestamps: they mostly grow, with records a minute late or early among them.
        var times = Enumerable.Range(0, 20_000).Select(n => Start.AddSeconds(n + random.Next(-60, 60))).ToList();
        for (var offset = 0; offset < times.Count; offset++)
        {
            records.Add(offset, times[offset]);
        }

        foreach (var minute in Enumerable.Range(0, 340).Where(minute => minute % 7 == 0))
        {
            var time = Start.AddMinutes(minute);
            var from = records.BeforeFirstAtOrAfter(time);
            var first = times.FindIndex(at => at >= time);

            Assert.All(times.Take((int)from), at => Assert.True(at < time, $"{at:O} is passed over by a search for {time:O}"));
            Assert.InRange(first < 0 ? times.Count - from : first - from, 0, records.RecordsPerTimeSample);
        }

        Assert.InRange(records.TimeSamples, PartitionRecords.MaxTimeSamples / 2, PartitionRecords.MaxTimeSamples);
    }

    [Fact]
    public void RecordsBetweenTransactionMarkersAreRunsAndRetentionForgetsThoseBelowTheLowWatermark()
    {
        var records = new PartitionRecords();
        // Three transactions of ten records, each followed by its commit marker.
        foreach (var offset in Enumerable.Range(0, 33).Where(offset => offset % 11 != 10))
        {
            records.Add(offset, Start.AddSeconds(offset));
        }

        records.TrimBelow(15);

        Assert.Equal(2, records.Runs);
        Assert.Equal(6 + 10, records.Count);
        Assert.Equal(25, records.BeforeFirstAtOrAfter(Start.AddSeconds(25)));
    }
}
