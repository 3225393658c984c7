namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// The one-shot step that sets the <c>kibana_system</c> password on Elasticsearch before Kibana starts: a container
/// of the Elasticsearch image (which has bash and curl) running <see cref="Script"/>, as Elastic's own Docker
/// Compose example does, so a deployment runs it as a Kubernetes Job or a Compose service that Kibana waits for, and
/// a run the same way. Elasticsearch refuses requests for a while after it reports healthy, so every failure is tried
/// again, <see cref="AttemptsVariable"/> times (60), <see cref="RetryDelayVariable"/> seconds apart (5); then it exits 1
/// with Elasticsearch's last answer.
/// </summary>
internal static class KibanaPasswordStep
{
    public const string ElasticsearchUrlVariable = "ELASTICSEARCH_URL";
    public const string ElasticPasswordVariable = "ELASTIC_PASSWORD";
    public const string SystemPasswordVariable = "KIBANA_SYSTEM_PASSWORD";
    public const string AttemptsVariable = "ATTEMPTS";
    public const string RetryDelayVariable = "RETRY_DELAY";

    /// <summary>
    /// Given as the container's arguments, not as an entrypoint: the image's entrypoint runs any command it is
    /// given, and Aspir8's Compose output mangles an entrypoint with arguments. The passwords stay out of the
    /// command line (curl reads its credentials and body from files).
    /// </summary>
    public const string Script = $$"""
        set -u
        work=$(mktemp -d)
        escaped=$(printf '%s' "${{SystemPasswordVariable}}" | sed 's/[\\"]/\\&/g')
        printf '{"%s":"%s"}' password "$escaped" > $work/body.json
        printf 'user = "elastic:%s"\n' "$(printf '%s' "${{ElasticPasswordVariable}}" | sed 's/[\\"]/\\&/g')" > $work/curl.conf
        attempts=${{{AttemptsVariable}}:-60}
        for attempt in $(seq 1 "$attempts"); do
          status=$(curl -sS -o $work/answer -w '%{http_code}' -m 30 -K $work/curl.conf -H 'Content-Type: application/json' \
            -X POST "${{ElasticsearchUrlVariable}}/_security/user/kibana_system/_password" --data-binary @$work/body.json)
          if [ "$status" = 200 ]; then
            echo "Elasticsearch user kibana_system is ready for Kibana"
            exit 0
          fi
          echo "Setting the kibana_system password failed (attempt $attempt of $attempts): HTTP $status $(cat $work/answer 2>/dev/null)" >&2
          [ "$attempt" -lt "$attempts" ] && sleep "${{{RetryDelayVariable}}:-5}"
        done
        exit 1
        """;
}
