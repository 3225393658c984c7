namespace FoodOrdering;

/// <summary>Names of the connection strings the AppHost hands to the services.</summary>
public static class ConnectionNames
{
    public const string Kafka = "kafka";
    public const string Smtp = "smtp";
    public const string Elasticsearch = "elasticsearch";
    public const string Redis = "redis";
}
