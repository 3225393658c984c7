using FoodOrdering.Transactions.Indexing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using ItemErrorCause = Elastic.Clients.Elasticsearch.ErrorCause;

namespace FoodOrdering.Tests.Unit;

/// <summary>
/// Bulk-item failures classified by what failed, from the status and Elasticsearch's error type; refusals read for
/// the privilege they lack; the indexer's health entry, which a template not in place degrades; and the idle indexer's notice.
/// </summary>
public sealed class ElasticsearchFailureTests
{
    [Theory]
    [InlineData(400, "document_parsing_exception", nameof(ElasticsearchFailureKind.DocumentFault))]
    [InlineData(400, "strict_dynamic_mapping_exception", nameof(ElasticsearchFailureKind.DocumentFault))]
    [InlineData(400, "mapper_parsing_exception", nameof(ElasticsearchFailureKind.DocumentFault))]
    [InlineData(400, "illegal_argument_exception", nameof(ElasticsearchFailureKind.DocumentFault))]
    [InlineData(401, "security_exception", nameof(ElasticsearchFailureKind.AccessRefused))]
    [InlineData(403, "security_exception", nameof(ElasticsearchFailureKind.AccessRefused))]
    [InlineData(404, "index_not_found_exception", nameof(ElasticsearchFailureKind.IndexMissing))]
    [InlineData(403, "cluster_block_exception", nameof(ElasticsearchFailureKind.Blocked))]
    [InlineData(429, "cluster_block_exception", nameof(ElasticsearchFailureKind.Blocked))]
    [InlineData(400, "index_closed_exception", nameof(ElasticsearchFailureKind.Blocked))]
    [InlineData(429, "es_rejected_execution_exception", nameof(ElasticsearchFailureKind.Unavailable))]
    [InlineData(429, "circuit_breaking_exception", nameof(ElasticsearchFailureKind.Unavailable))]
    [InlineData(503, "unavailable_shards_exception", nameof(ElasticsearchFailureKind.Unavailable))]
    [InlineData(400, "invalid_index_name_exception", nameof(ElasticsearchFailureKind.Unexpected))]
    [InlineData(409, "version_conflict_engine_exception", nameof(ElasticsearchFailureKind.Unexpected))]
    public void OnlyADocumentLevelErrorIsTheDocumentsFault(int status, string type, string expected)
    {
        var kind = Enum.Parse<ElasticsearchFailureKind>(expected);

        var failure = ElasticsearchFailure.OfItem(status, new ItemErrorCause { Type = type, Reason = "reason" });

        Assert.Equal(kind, failure.Kind);
        Assert.Equal(kind == ElasticsearchFailureKind.DocumentFault, failure.IsDocumentFault);
    }

    [Theory]
    [InlineData(
        "action [indices:data/write/bulk[s]] is unauthorized for user [indexer] with effective roles [analytics] on indices [foodordering-analytics], this action is granted by the index privileges [create_doc,create,index,write,all]",
        "user [indexer] lacks the privilege for [indices:data/write/bulk[s]] on [foodordering-analytics]: grant one of the index privileges create_doc, create, index, write, all")]
    [InlineData(
        "action [indices:admin/auto_create] is unauthorized for API key id [VuaCfGcBCdbkQm-e5aOx] of user [ci] on indices [foodordering-analytics], this action is granted by the index privileges [auto_configure,create_index,manage,all]",
        "API key id [VuaCfGcBCdbkQm-e5aOx] of user [ci] lacks the privilege for [indices:admin/auto_create] on [foodordering-analytics]: grant one of the index privileges auto_configure, create_index, manage, all")]
    [InlineData(
        "action [indices:admin/index_template/put] is unauthorized for user [indexer] with assigned roles [analytics], this action is granted by the cluster privileges [manage_index_templates,manage,all]",
        "user [indexer] lacks the privilege for [indices:admin/index_template/put]: grant one of the cluster privileges manage_index_templates, manage, all")]
    public void ARefusalNamesThePrivilegeThatWouldGrantTheAction(string reason, string described)
    {
        var failure = ElasticsearchFailure.OfItem(403, new ItemErrorCause { Type = "security_exception", Reason = reason });

        Assert.Equal($"{described} (403 security_exception: {reason})", failure.Describe());
    }

    [Fact]
    public void ARefusalInOtherWordsIsShownAsItCame()
    {
        var failure = ElasticsearchFailure.OfItem(401, new ItemErrorCause { Type = "security_exception", Reason = "unable to authenticate user [indexer] for REST request [/_bulk]" });

        Assert.Equal("access refused: check the credentials and their privileges (401 security_exception: unable to authenticate user [indexer] for REST request [/_bulk])", failure.Describe());
    }

    [Fact]
    public async Task TheIndexersHealthIsDegradedWhileTheTemplateIsNotInPlaceThoughDocumentsFlow()
    {
        var status = new IndexerStatus();
        var check = new IndexerHealthCheck(status);
        status.Set(IndexerState.Indexing, "indexing");

        var healthy = await check.CheckHealthAsync(new HealthCheckContext());
        status.SetTemplateProblem("index template not put: 403");
        var withoutTemplate = await check.CheckHealthAsync(new HealthCheckContext());
        status.Set(IndexerState.Retrying, "retrying 3 documents");
        var retrying = await check.CheckHealthAsync(new HealthCheckContext());
        status.SetTemplateProblem(null);
        status.Set(IndexerState.Indexing, "indexing");
        var recovered = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal((HealthStatus.Degraded, "indexing; index template not put: 403"), (withoutTemplate.Status, withoutTemplate.Description));
        Assert.Equal((HealthStatus.Degraded, "retrying 3 documents; index template not put: 403"), (retrying.Status, retrying.Description));
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
    }

    [Fact]
    public async Task WithoutElasticsearchTheIndexerSaysWhyOnceAtInformationSoACleanRunHasNoWarning()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<IdleIndexer>();

        await new IdleIndexer(logger).StartAsync(CancellationToken.None);

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Contains("--Infrastructure Containers", record.Message);
    }
}
