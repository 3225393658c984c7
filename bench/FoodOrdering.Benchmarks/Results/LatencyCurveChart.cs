using System.Globalization;
using ScottPlot;

namespace FoodOrdering.Benchmarks.Results;

/// <summary>
/// The sweep as a latency–throughput curve: p50, p95 and p99 (placed → outcome) against the offered rate, both on
/// log scales (the rates and latencies span decades), each point labelled with the rate achieved.
/// </summary>
internal static class LatencyCurveChart
{
    public static IReadOnlyList<string> Write(IReadOnlyList<ScenarioResult> sweep, string basePath)
    {
        var points = sweep.Where(result => result.Latency is not null && result.OfferedRate is > 0).ToList();
        var plot = new Plot();
        var offered = points.Select(point => Math.Log10(point.OfferedRate!.Value)).ToArray();
        foreach (var (name, percentile, color) in new (string, Func<ScenarioResult, double>, Color)[]
        {
            ("p50", point => point.Latency!.P50, Colors.SteelBlue),
            ("p95", point => point.Latency!.P95, Colors.DarkOrange),
            ("p99", point => point.Latency!.P99, Colors.Crimson),
        })
        {
            var line = plot.Add.Scatter(offered, points.Select(point => Math.Log10(Math.Max(percentile(point), 0.1))).ToArray());
            line.LegendText = name;
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }

        foreach (var point in points)
        {
            var label = plot.Add.Text(
                string.Create(CultureInfo.InvariantCulture, $"{point.Rate:N0}/s{(point.Correctness.Passed ? "" : " (check failed)")}"),
                Math.Log10(point.OfferedRate!.Value), Math.Log10(Math.Max(point.Latency!.P99, 0.1)));
            label.LabelFontSize = 11;
            label.LabelOffsetY = -18;
            label.LabelAlignment = Alignment.LowerCenter;
        }

        var limit = plot.Add.HorizontalLine(Math.Log10(Scenarios.SweepStopRule.P99Limit));
        limit.LinePattern = LinePattern.Dashed;
        limit.Color = Colors.Gray;
        limit.LegendText = "p99 limit of the sweep";

        plot.Axes.Bottom.TickGenerator = LogTicks(offered.DefaultIfEmpty(3).Min(), offered.DefaultIfEmpty(5).Max(), "N0");
        plot.Axes.Left.TickGenerator = LogTicks(-1, 4, "0.#");
        plot.Title("Transactions: placed → outcome latency vs offered rate (labels: achieved orders/s)");
        plot.XLabel("offered orders/s (log)");
        plot.YLabel("latency, ms (log)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.AutoScale();
        return ChartFiles.Save(plot, basePath);
    }

    private static ScottPlot.TickGenerators.NumericManual LogTicks(double fromLog, double toLog, string format)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var decade = (int)Math.Floor(fromLog); decade <= (int)Math.Ceiling(toLog); decade++)
        {
            foreach (var step in new[] { 1, 2, 5 })
            {
                var value = step * Math.Pow(10, decade);
                ticks.AddMajor(Math.Log10(value), value.ToString(format, CultureInfo.InvariantCulture));
            }
        }

        return ticks;
    }
}
