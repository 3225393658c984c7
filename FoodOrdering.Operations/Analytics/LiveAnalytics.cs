using System.Globalization;
using FoodOrdering.Contracts;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operations.Analytics;

/// <summary>
/// The last hour of sales, rejections and emails in per-minute buckets, so memory is bounded by the hour's
/// minutes and the bounds of <see cref="AnalyticsOptions"/>, never by the traffic. A record seen again (an aborted
/// transaction's copy, which the embedded broker shows to read_committed readers, or a re-driven order) is
/// recognised by its order id and line and counted once.
/// </summary>
internal sealed class LiveAnalytics
{
    // Parts of a record key besides order lines (numbered from 1), so an order's rejection and emails are told apart.
    private const int RejectionPart = -1;
    private const int EmailSentPart = -2;
    private const int EmailFailedPart = -3;

    private readonly Lock _lock = new();
    private readonly MinuteBucket[] _buckets;
    private readonly AnalyticsOptions _options;
    private readonly TimeProvider _time;

    public LiveAnalytics(IOptions<AnalyticsOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _buckets = [.. Enumerable.Range(0, AnalyticsRanges.Longest).Select(_ => new MinuteBucket(_options.MaxRecordsPerMinute, _options.MaxNamesPerMinute))];
    }

    /// <summary>Where a reader starts after a restart: the oldest time the figures cover.</summary>
    public DateTimeOffset HeldSince => StartOf(MinuteOf(_time.GetUtcNow()) - AnalyticsRanges.Longest + 1);

    public void Add(OrderLineSold line)
    {
        lock (_lock)
        {
            if (BucketFor(line.PlacedAt) is { } bucket && bucket.TryRemember(RecordKey.Of(line.OrderId, line.LineNumber)))
            {
                bucket.AddLine(line.MenuItemId, line.Item, line.Category, line.Quantity, line.Revenue, firstLineOfOrder: line.LineNumber == 1);
            }
        }
    }

    public void Add(OrderRejected rejected)
    {
        lock (_lock)
        {
            if (BucketFor(rejected.PlacedAt) is { } bucket && bucket.TryRemember(RecordKey.Of(rejected.OrderId, RejectionPart)))
            {
                bucket.AddRejection(rejected.Reason);
            }
        }
    }

    public void Add(EmailSent sent)
    {
        lock (_lock)
        {
            if (FirstInHour(sent.SentAt, RecordKey.Of(sent.OrderId, EmailSentPart)) is { } bucket)
            {
                bucket.AddEmailSent();
            }
        }
    }

    public void Add(EmailFailed failed)
    {
        lock (_lock)
        {
            if (FirstInHour(failed.FailedAt, RecordKey.Of(failed.OrderId, EmailFailedPart)) is { } bucket)
            {
                bucket.AddEmailFailed();
            }
        }
    }

    public AnalyticsView View(int minutes)
    {
        if (!AnalyticsRanges.IsSupported(minutes))
        {
            throw new ArgumentOutOfRangeException(nameof(minutes), minutes, $"The analytics cover {string.Join(", ", AnalyticsRanges.Minutes)} minutes.");
        }

        var now = _time.GetUtcNow();
        var last = MinuteOf(now);
        var perMinute = new List<MinuteFigures>(minutes);
        var items = new Dictionary<string, ItemTally>(StringComparer.Ordinal);
        var categories = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        decimal revenue = 0;
        long orders = 0, emailsSent = 0, emailsFailed = 0;
        var mayHoldRepeats = false;
        lock (_lock)
        {
            for (var minute = last - minutes + 1; minute <= last; minute++)
            {
                var bucket = _buckets[Slot(minute)];
                if (bucket.Minute != minute)
                {
                    perMinute.Add(new MinuteFigures(StartOf(minute), Money.Format(0), 0));
                    continue;
                }

                perMinute.Add(new MinuteFigures(StartOf(minute), Money.Format(bucket.Revenue), bucket.Orders));
                revenue += bucket.Revenue;
                orders += bucket.Orders;
                emailsSent += bucket.EmailsSent;
                emailsFailed += bucket.EmailsFailed;
                mayHoldRepeats |= bucket.MayHoldRepeats;
                foreach (var tally in bucket.Items.Values)
                {
                    if (!items.TryGetValue(tally.MenuItemId, out var total))
                    {
                        total = new ItemTally(tally.MenuItemId, tally.Item, tally.Category);
                        items.Add(tally.MenuItemId, total);
                    }

                    total.Revenue += tally.Revenue;
                    total.Quantity += tally.Quantity;
                }

                foreach (var (category, amount) in bucket.RevenueByCategory)
                {
                    categories[category] = categories.GetValueOrDefault(category) + amount;
                }

                foreach (var (reason, count) in bucket.RejectionsByReason)
                {
                    reasons[reason] = reasons.GetValueOrDefault(reason) + count;
                }
            }
        }

        return new AnalyticsView(
            minutes,
            StartOf(last - minutes + 1),
            now,
            Menu.Currency,
            Money.Format(revenue),
            orders,
            (orders / (decimal)minutes).ToString("0.00", CultureInfo.InvariantCulture),
            Money.Format(orders == 0 ? 0 : decimal.Round(revenue / orders, 2, MidpointRounding.AwayFromZero)),
            perMinute,
            [.. items.Values.OrderByDescending(item => item.Revenue).ThenByDescending(item => item.Quantity).ThenBy(item => item.MenuItemId, StringComparer.Ordinal)
                .Take(_options.TopItems).Select(Figures)],
            [.. items.Values.OrderByDescending(item => item.Quantity).ThenByDescending(item => item.Revenue).ThenBy(item => item.MenuItemId, StringComparer.Ordinal)
                .Take(_options.TopItems).Select(Figures)],
            [.. categories.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => new CategoryFigures(pair.Key, Money.Format(pair.Value)))],
            [.. reasons.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => new ReasonCount(pair.Key, pair.Value))],
            new EmailFigures(emailsSent, emailsFailed),
            mayHoldRepeats,
            _options.KibanaDashboardUrl);
    }

    private static ItemFigures Figures(ItemTally item) => new(item.MenuItemId, item.Item, item.Category, Money.Format(item.Revenue), item.Quantity);

    // An email's repeat may carry a later time than its first copy, so its key is looked for in the whole hour.
    private MinuteBucket? FirstInHour(DateTimeOffset at, long key)
    {
        var bucket = BucketFor(at);
        if (bucket is null || _buckets.Any(other => other.Minute > MinuteOf(_time.GetUtcNow()) - AnalyticsRanges.Longest && other.Remembers(key)))
        {
            return null;
        }

        return bucket.TryRemember(key) ? bucket : null;
    }

    /// <summary>The record's minute, made current if need be; null when it is older than the hour.</summary>
    private MinuteBucket? BucketFor(DateTimeOffset at)
    {
        var now = MinuteOf(_time.GetUtcNow());
        // A clock ahead of this one puts a record in the current minute rather than in one the hour has not reached.
        var minute = Math.Min(MinuteOf(at), now);
        if (minute <= now - AnalyticsRanges.Longest)
        {
            return null;
        }

        var bucket = _buckets[Slot(minute)];
        if (bucket.Minute != minute)
        {
            bucket.Reuse(minute);
        }

        return bucket;
    }

    private static long MinuteOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    private static DateTimeOffset StartOf(long minute) => DateTimeOffset.FromUnixTimeSeconds(minute * 60);

    private static int Slot(long minute) => (int)(minute % AnalyticsRanges.Longest);
}
