using System.Text;
using System.Text.Json;
using FoodOrdering.AppHost.Containers;
using FoodOrdering.Transactions.Indexing;

namespace FoodOrdering.Tests.Unit;

/// <summary>The Kibana saved objects the AppHost imports: they parse, and they ask only for fields the index template maps.</summary>
public sealed class KibanaSavedObjectsTests
{
    private static readonly IReadOnlyList<JsonElement> Objects = [.. Encoding.UTF8.GetString(KibanaSavedObjects.ReadNdjson())
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonDocument.Parse(line).RootElement)];

    private static readonly Dictionary<string, string> MappedFields = JsonDocument.Parse(AnalyticsIndexTemplate.Json).RootElement
        .GetProperty("template").GetProperty("mappings").GetProperty("properties").EnumerateObject()
        .ToDictionary(field => field.Name, field => field.Value.GetProperty("type").GetString()!);

    [Fact]
    public void HoldsTheDataViewOnTheIndexAndADashboardWhosePanelsAreAllInTheFile()
    {
        var dataView = Assert.Single(Objects, o => o.GetProperty("type").GetString() == "index-pattern");
        var dashboard = Assert.Single(Objects, o => o.GetProperty("type").GetString() == "dashboard");
        var ids = Objects.Select(o => (o.GetProperty("type").GetString(), o.GetProperty("id").GetString())).ToHashSet();

        Assert.Equal(KibanaSavedObjects.DataViewId, dataView.GetProperty("id").GetString());
        Assert.Equal($"{AnalyticsIndexTemplate.IndexName}*", dataView.GetProperty("attributes").GetProperty("title").GetString());
        Assert.Equal("date", MappedFields[dataView.GetProperty("attributes").GetProperty("timeFieldName").GetString()!]);
        Assert.Equal(KibanaSavedObjects.DashboardId, dashboard.GetProperty("id").GetString());

        var panels = JsonDocument.Parse(dashboard.GetProperty("attributes").GetProperty("panelsJSON").GetString()!).RootElement.EnumerateArray().ToList();
        var references = dashboard.GetProperty("references").EnumerateArray().ToList();
        Assert.Equal(6, panels.Count);
        foreach (var panel in panels)
        {
            var reference = Assert.Single(references, r => r.GetProperty("name").GetString() == $"{panel.GetProperty("panelIndex").GetString()}:{panel.GetProperty("panelRefName").GetString()}");
            Assert.Contains((reference.GetProperty("type").GetString(), reference.GetProperty("id").GetString()), ids);
        }

        Assert.Equal(
            ["Average order value", "Orders per minute", "Revenue and quantity by category", "Revenue and quantity by item", "Revenue over time", "Top items"],
            Objects.Where(o => o.GetProperty("type").GetString() == "lens").Select(o => o.GetProperty("attributes").GetProperty("title").GetString()).Order());
    }

    [Fact]
    public void EveryVisualizationUsesOnlyFieldsOfTheIndexTemplateThroughTheDataView()
    {
        foreach (var lens in Objects.Where(o => o.GetProperty("type").GetString() == "lens"))
        {
            var title = lens.GetProperty("attributes").GetProperty("title").GetString();
            var layers = lens.GetProperty("attributes").GetProperty("state").GetProperty("datasourceStates").GetProperty("formBased").GetProperty("layers");
            foreach (var layer in layers.EnumerateObject())
            {
                var reference = Assert.Single(lens.GetProperty("references").EnumerateArray(),
                    r => r.GetProperty("name").GetString() == $"indexpattern-datasource-layer-{layer.Name}");
                Assert.Equal(KibanaSavedObjects.DataViewId, reference.GetProperty("id").GetString());

                var columns = layer.Value.GetProperty("columns");
                foreach (var column in columns.EnumerateObject())
                {
                    if (column.Value.TryGetProperty("sourceField", out var field))
                    {
                        Assert.True(MappedFields.ContainsKey(field.GetString()!), $"{title}: column {column.Name} uses {field}, which the index template does not map");
                    }

                    if (column.Value.TryGetProperty("params", out var parameters) && parameters.TryGetProperty("orderBy", out var orderBy)
                        && orderBy.TryGetProperty("columnId", out var orderColumn))
                    {
                        Assert.True(columns.TryGetProperty(orderColumn.GetString()!, out _), $"{title}: {column.Name} is ordered by a missing column");
                    }
                }

                Assert.Equal(columns.EnumerateObject().Select(c => c.Name).Order(),
                    layer.Value.GetProperty("columnOrder").EnumerateArray().Select(c => c.GetString()).Order());
            }
        }
    }

    [Fact]
    public void TheTemplateMapsWhatTheIndexerWrites()
    {
        var document = JsonSerializer.SerializeToElement(new AnalyticsDocument("order", 1, DateTimeOffset.UnixEpoch, "cola", "Cola", "Drinks", 2, 4.80m));

        Assert.Equal(MappedFields.Keys.Order(), document.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["orderId"] = "keyword", ["lineNumber"] = "integer", ["placedAt"] = "date", ["menuItemId"] = "keyword",
                ["item"] = "keyword", ["category"] = "keyword", ["quantity"] = "integer", ["revenue"] = "scaled_float",
            },
            MappedFields);
    }
}
