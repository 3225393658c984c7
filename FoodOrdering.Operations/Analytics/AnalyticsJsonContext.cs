using System.Text.Json;
using System.Text.Json.Serialization;

namespace FoodOrdering.Operations.Analytics;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AnalyticsView))]
internal sealed partial class AnalyticsJsonContext : JsonSerializerContext;
