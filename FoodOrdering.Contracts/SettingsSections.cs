namespace FoodOrdering;

/// <summary>
/// The configuration sections the services bind their options from. The AppHost hands each service its sections from
/// its own configuration, so <c>dotnet run --project FoodOrdering.AppHost -- --OrderGenerator:OrdersPerSecond 5</c>
/// reaches the Producer.
/// </summary>
public static class SettingsSections
{
    public const string OrderGenerator = "OrderGenerator";
    public const string OrderApi = "OrderApi";
    public const string Operator = "Operator";
    public const string ForwardedHeaders = "ForwardedHeaders";
    public const string OrderTracking = "OrderTracking";
    public const string OrderProcessing = "OrderProcessing";
    public const string Pricing = "Pricing";
    public const string Indexer = "Indexer";
    public const string Email = "Email";
    public const string TopicProvisioning = "TopicProvisioning";
    public const string Operations = "Operations";
    public const string Analytics = "Analytics";
}
