namespace FoodOrdering.Benchmarks.Measurement;

/// <summary>
/// Whether a service's memory levels off over a soak: the least-squares slope of its resident set over the last
/// third of the samples, against the first third's. It levels off when, at the last third's slope, it would grow
/// by at most <see cref="Tolerance"/> of its size over as long again; a leak keeps the slope of the start.
/// </summary>
internal static class MemoryTrend
{
    public const double Tolerance = 0.02;

    /// <summary>Fewer samples than this in a third say nothing about a slope (a GC moves several at once).</summary>
    public const int MinimumSamplesPerThird = 4;

    public static MemoryVerdict Judge(IReadOnlyList<MemorySample> samples)
    {
        var third = samples.Count / 3;
        if (third < MinimumSamplesPerThird)
        {
            return new MemoryVerdict(null, null, null,
                $"too short to tell: {samples.Count} samples, at least {3 * MinimumSamplesPerThird} needed (a longer --soak-minutes or shorter --soak-sample-seconds)");
        }

        var first = samples.Take(third).ToList();
        var last = samples.Skip(samples.Count - third).ToList();
        var firstSlope = SlopePerMinute(first);
        var lastSlope = SlopePerMinute(last);
        var lastMinutes = (last[^1].Seconds - last[0].Seconds) / 60;
        var lastMean = last.Average(sample => sample.RssMb);
        var levelsOff = lastSlope * lastMinutes <= Tolerance * lastMean;
        var text = levelsOff
            ? $"levels off: {lastSlope:+0.00;-0.00} MB/min over the last third at about {lastMean:0} MB ({firstSlope:+0.00;-0.00} MB/min over the first)"
            : $"still growing: {lastSlope:+0.00;-0.00} MB/min over the last third at about {lastMean:0} MB ({firstSlope:+0.00;-0.00} MB/min over the first)";
        return new MemoryVerdict(levelsOff, Math.Round(firstSlope, 3), Math.Round(lastSlope, 3), text);
    }

    private static double SlopePerMinute(IReadOnlyList<MemorySample> samples)
    {
        var meanX = samples.Average(sample => sample.Seconds);
        var meanY = samples.Average(sample => sample.RssMb);
        var covariance = samples.Sum(sample => (sample.Seconds - meanX) * (sample.RssMb - meanY));
        var variance = samples.Sum(sample => (sample.Seconds - meanX) * (sample.Seconds - meanX));
        return variance == 0 ? 0 : covariance / variance * 60;
    }
}

/// <param name="Seconds">Since the soak's load began.</param>
/// <param name="RssMb">Resident set (VmRSS).</param>
internal sealed record MemorySample(double Seconds, double RssMb);

/// <param name="LevelsOff">Null when the soak was too short to tell.</param>
/// <param name="FirstThirdSlopeMbPerMinute">Growth of the resident set over the first third of the samples.</param>
/// <param name="LastThirdSlopeMbPerMinute">Growth of the resident set over the last third of the samples.</param>
internal sealed record MemoryVerdict(bool? LevelsOff, double? FirstThirdSlopeMbPerMinute, double? LastThirdSlopeMbPerMinute, string Text);
