using System.Text.Json;
using System.Text.Json.Serialization;
using FoodOrdering.Operations.Audit;

namespace FoodOrdering.Operations;

/// <summary>What the console writes to Kafka, serialized without reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext;
