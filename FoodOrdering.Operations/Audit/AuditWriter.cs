using System.Security.Claims;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;

namespace FoodOrdering.Operations.Audit;

/// <summary>Writes an audit record and waits for Kafka to acknowledge it.</summary>
internal sealed class AuditWriter(IProducer<string, byte[]> producer, TimeProvider time)
{
    public async Task<AuditEntry> WriteAsync(ClaimsPrincipal user, HttpContext context, string action, string target, IReadOnlyList<AuditedRecord> records, string outcome, CancellationToken cancellationToken)
    {
        var entry = new AuditEntry(Guid.NewGuid(), time.GetUtcNow(), Who(user, context), action, target, records, outcome);
        await producer.PublishAsync(Topics.OperationsAudit, entry.Id.ToString(), entry, OperationsJsonContext.Default.AuditEntry, cancellationToken);
        return entry;
    }

    // Behind the AppHost's proxy every client is the loopback address, so the address says little there; it is kept
    // for deployments, where it is the client's.
    private static string Who(ClaimsPrincipal user, HttpContext context) =>
        $"{user.Identity?.Name ?? "anonymous (Development, no operator key set)"} from {context.Connection.RemoteIpAddress}";
}
