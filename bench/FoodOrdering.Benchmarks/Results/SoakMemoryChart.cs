using ScottPlot;

namespace FoodOrdering.Benchmarks.Results;

/// <summary>The soak as a chart: each service's resident set over time, its verdict in the legend.</summary>
internal static class SoakMemoryChart
{
    public static IReadOnlyList<string> Write(SoakReport soak, string basePath)
    {
        var plot = new Plot();
        Color[] colors = [Colors.SteelBlue, Colors.DarkOrange, Colors.SeaGreen, Colors.Crimson];
        for (var i = 0; i < soak.Services.Count; i++)
        {
            var service = soak.Services[i];
            var line = plot.Add.Scatter(
                service.Samples.Select(sample => sample.Seconds / 60).ToArray(),
                service.Samples.Select(sample => sample.RssMb).ToArray());
            line.Color = colors[i % colors.Length];
            line.LineWidth = 2;
            line.MarkerSize = 3;
            line.LegendText = $"{service.Service}: {service.Verdict.Text}";
        }

        plot.Title($"Soak: resident set per service, {soak.OrdersPerSecond:N0} orders/s for {soak.Minutes:0.#} min");
        plot.XLabel("minutes");
        plot.YLabel("RSS, MB");
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, soak.Services.SelectMany(service => service.Samples).Select(sample => sample.RssMb).DefaultIfEmpty(100).Max() * 1.15);
        return ChartFiles.Save(plot, basePath);
    }
}
