namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// The data view and dashboard the AppHost imports into Kibana: <c>Kibana/food-ordering.ndjson</c>, embedded, in
/// the format of Kibana's saved-objects export (one object per line).
/// </summary>
internal static class KibanaSavedObjects
{
    public const string FileName = "food-ordering.ndjson";
    public const string DataViewId = "foodordering-analytics";
    public const string DashboardId = "food-ordering-analytics";

    public const string DashboardPath = $"/app/dashboards#/view/{DashboardId}";

    public static byte[] ReadNdjson()
    {
        using var stream = typeof(KibanaSavedObjects).Assembly.GetManifestResourceStream($"FoodOrdering.AppHost.Kibana.{FileName}")
            ?? throw new InvalidOperationException($"The embedded {FileName} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
