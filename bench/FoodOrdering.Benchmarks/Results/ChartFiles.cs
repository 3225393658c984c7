using ScottPlot;

namespace FoodOrdering.Benchmarks.Results;

/// <summary>Saves a chart next to the JSON results, as PNG (for the README) and SVG (to zoom).</summary>
internal static class ChartFiles
{
    private const int Width = 1100;
    private const int Height = 650;

    public static IReadOnlyList<string> Save(Plot plot, string basePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(basePath))!);
        var png = basePath + ".png";
        var svg = basePath + ".svg";
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        return [png, svg];
    }
}
