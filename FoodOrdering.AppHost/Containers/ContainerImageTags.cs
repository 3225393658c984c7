namespace FoodOrdering.AppHost.Containers;

/// <summary>Every container image of containers mode, pinned. Bump them here, together, after trying them.</summary>
internal static class ContainerImageTags
{
    public const string Registry = "docker.io";

    /// <summary>A single-node KRaft Kafka broker (no ZooKeeper), as Aspire's Kafka integration uses.</summary>
    public const string KafkaImage = "confluentinc/confluent-local";
    public const string KafkaTag = "8.2.0";

    /// <summary>Where the Producer replicas share their idempotency keys; the image Aspire's Redis integration pins.</summary>
    public const string RedisImage = "library/redis";
    public const string RedisTag = "8.6";

    public const string KafkaUiImage = "kafbat/kafka-ui";
    public const string KafkaUiTag = "v1.5.0";

    /// <summary>A mail catcher: SMTP on 1025, a web UI on 8025.</summary>
    public const string MailpitImage = "axllent/mailpit";
    public const string MailpitTag = "v1.20.4";

    /// <summary>
    /// Elastic's own registry. Elasticsearch and Kibana share one version, and its major must match the services'
    /// Elastic.Clients.Elasticsearch (9.x sends <c>compatible-with=9</c> headers, which an 8.x server refuses).
    /// </summary>
    public const string ElasticRegistry = "docker.elastic.co";

    public const string ElasticsearchImage = "elasticsearch/elasticsearch";
    public const string ElasticsearchTag = "9.5.3";

    public const string KibanaImage = "kibana/kibana";
    public const string KibanaTag = ElasticsearchTag;
}
