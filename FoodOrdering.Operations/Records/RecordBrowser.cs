using Confluent.Kafka;
using FoodOrdering.Operations.Log;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operations.Records;

/// <summary>
/// Reads pages of a topic's records, as kafbat's browser does: the newest first, the oldest first, or from a time,
/// across its partitions by timestamp. Each request reads at most a page per partition, with its own small reader,
/// and, to find a time by reading, at most <see cref="PartitionRecords.RecordsPerTimeSample"/> records per partition more.
/// </summary>
internal sealed class RecordBrowser(ConsoleKafka kafka, TopicTail tail, IOptions<OperationsOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The newest <paramref name="limit"/> records before the cursor's offsets (the partitions' ends at first).</summary>
    public RecordPage Newest(string topic, IReadOnlyCollection<int> partitions, Dictionary<int, long> cursor, int limit)
    {
        using var reader = kafka.CreateReader("browse");
        var ranges = new Dictionary<int, (long Start, long End)>();
        foreach (var partition in partitions)
        {
            var watermarks = reader.QueryWatermarkOffsets(new TopicPartition(topic, partition), Timeout);
            var end = Math.Min(cursor.GetValueOrDefault(partition, watermarks.High.Value), watermarks.High.Value);
            var records = tail.Topics[topic].Partition(partition);
            // Until the tail has read the partition, two offsets per record is a guess that markers cannot beat by much.
            var start = records.ReadTo >= end ? records.StartOfLast(end, limit) : end - 2L * limit;
            ranges[partition] = (Math.Max(start, watermarks.Low.Value), end);
        }

        var scanned = 0;
        var read = Read(reader, topic, ranges, limit, ref scanned);
        var page = read.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Offset).Take(limit).ToList();
        var next = ranges.ToDictionary(range => range.Key, range =>
            page.Where(r => r.Partition == range.Key).Select(r => r.Offset).DefaultIfEmpty(range.Value.End).Min());
        var more = next.Any(position => ranges[position.Key].Start < position.Value);
        return new RecordPage(topic, "newest", page, more ? RecordCursor.Format(next) : null, options.Value.MaxValueBytes, scanned);
    }

    /// <summary>The oldest <paramref name="limit"/> records from the cursor's offsets, or from <paramref name="since"/>, or from the beginning.</summary>
    public RecordPage Forward(string topic, IReadOnlyCollection<int> partitions, Dictionary<int, long> cursor, DateTimeOffset? since, int limit)
    {
        using var reader = kafka.CreateReader("browse");
        var scanned = 0;
        var byTime = new Dictionary<int, long>();
        if (since is { } time && cursor.Count == 0)
        {
            foreach (var partition in partitions)
            {
                byTime[partition] = FirstAtOrAfter(new TopicPartition(topic, partition), time, long.MaxValue, ref scanned);
            }
        }

        var ranges = new Dictionary<int, (long Start, long End)>();
        foreach (var partition in partitions)
        {
            var watermarks = reader.QueryWatermarkOffsets(new TopicPartition(topic, partition), Timeout);
            var start = cursor.TryGetValue(partition, out var position) ? position
                : byTime.TryGetValue(partition, out var found) ? Math.Min(found, watermarks.High.Value)
                : watermarks.Low.Value;
            ranges[partition] = (Math.Max(start, watermarks.Low.Value), watermarks.High.Value);
        }

        var read = Read(reader, topic, ranges, limit, ref scanned);
        var page = read.OrderBy(r => r.Timestamp).ThenBy(r => r.Offset).Take(limit).ToList();
        var next = ranges.ToDictionary(range => range.Key, range =>
            page.Where(r => r.Partition == range.Key).Select(r => r.Offset + 1).DefaultIfEmpty(range.Value.Start).Max());
        var more = next.Any(position => position.Value < ranges[position.Key].End);
        return new RecordPage(topic, since is null ? "oldest" : "time", page, more ? RecordCursor.Format(next) : null, options.Value.MaxValueBytes, scanned);
    }

    /// <summary>The offset of the partition's first record at or after <paramref name="time"/>, or <paramref name="end"/> when there is none.</summary>
    public long FirstAtOrAfter(TopicPartition partition, DateTimeOffset time, long end)
    {
        var scanned = 0;
        return FirstAtOrAfter(partition, time, end, ref scanned);
    }

    private long FirstAtOrAfter(TopicPartition partition, DateTimeOffset time, long end, ref int scanned)
    {
        using var reader = kafka.CreateReader("time");
        if (!options.Value.FindTimesByReading)
        {
            var found = reader.OffsetsForTimes([new TopicPartitionTimestamp(partition, new Timestamp(time.UtcDateTime))], Timeout).Single().Offset;
            return found.IsSpecial ? end : found.Value;
        }

        var watermarks = reader.QueryWatermarkOffsets(partition, Timeout);
        // The tail's index of times: every record below this offset is older, so the reading starts there.
        var start = Math.Max(watermarks.Low.Value, tail.Topics.TryGetValue(partition.Topic, out var records)
            ? records.Partition(partition.Partition.Value).BeforeFirstAtOrAfter(time.UtcDateTime)
            : 0);
        var first = Read(reader, partition.Topic, new Dictionary<int, (long, long)> { [partition.Partition.Value] = (start, Math.Min(end, watermarks.High.Value)) }, 1, ref scanned, skipBefore: time);
        return first.Count > 0 ? first[0].Offset : end;
    }

    /// <summary>One record, or null when nothing is at that offset (a transaction marker, or deleted).</summary>
    public RecordView? One(RecordCoordinates at, bool reveal)
    {
        using var reader = kafka.CreateReader("record");
        var scanned = 0;
        var records = Read(reader, at.Topic, new Dictionary<int, (long, long)> { [at.Partition] = (at.Offset, at.Offset + 1) }, 1, ref scanned, reveal);
        return records.SingleOrDefault(record => record.Offset == at.Offset);
    }

    // Each partition is read from its start until it has `limit` records, reaches its end, or the reader its end of
    // the partition; a partition that is done is paused, so its records stop filling the reader's queue. With
    // skipBefore, each partition's records before the first at or after that time are passed over, as a broker's
    // lookup by time would start. Every record taken from the reader counts in `scanned`, passed over or not.
    private List<RecordView> Read(
        IConsumer<byte[]?, byte[]?> reader, string topic, Dictionary<int, (long Start, long End)> ranges, int limit, ref int scanned, bool reveal = false, DateTimeOffset? skipBefore = null)
    {
        var skipping = skipBefore is null ? [] : ranges.Keys.ToHashSet();
        var records = new List<RecordView>();
        var open = ranges.Where(range => range.Value.Start < range.Value.End).ToDictionary(range => range.Key, _ => 0);
        if (open.Count == 0)
        {
            return records;
        }

        reader.Assign(open.Keys.Select(partition => new TopicPartitionOffset(topic, partition, ranges[partition].Start)));
        var deadline = DateTime.UtcNow + Timeout;
        while (open.Count > 0 && DateTime.UtcNow < deadline)
        {
            var result = reader.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || !open.ContainsKey(result.Partition.Value))
            {
                continue;
            }

            var partition = result.Partition.Value;
            if (!result.IsPartitionEOF)
            {
                scanned++;
            }

            if (skipping.Contains(partition) && !result.IsPartitionEOF)
            {
                if (result.Message.Timestamp.UtcDateTime < skipBefore!.Value.UtcDateTime)
                {
                    continue;
                }

                skipping.Remove(partition);
            }

            if (!result.IsPartitionEOF && result.Offset.Value < ranges[partition].End)
            {
                records.Add(RecordRendering.Render(result, options.Value, reveal));
                open[partition]++;
            }

            if (result.IsPartitionEOF || result.Offset.Value + 1 >= ranges[partition].End || open[partition] >= limit)
            {
                open.Remove(partition);
                reader.Pause([result.TopicPartition]);
            }
        }

        return records;
    }
}
