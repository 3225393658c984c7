using System.Security.Claims;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;

namespace FoodOrdering.Operations.Audit;

/// <summary>Writes an audit record and waits for Kafka to acknowledge it.</summary>
internal sealed class AuditWriter(IProducer<string, byte[]> producer, TimeProvider time)
{
    // The action it records has already happened, so a refusal the broker may not repeat (a leader moving, an
    // authorization glitch) is tried again rather than leaving the action unaudited.
    private const int Attempts = 5;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    public async Task<AuditEntry> WriteAsync(ClaimsPrincipal user, HttpContext context, string action, string target, IReadOnlyList<AuditedRecord> records, string outcome, CancellationToken cancellationToken)
    {
        var entry = new AuditEntry(Guid.NewGuid(), time.GetUtcNow(), Who(user, context), action, target, records, outcome);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await producer.PublishAsync(Topics.OperationsAudit, entry.Id.ToString(), entry, OperationsJsonContext.Default.AuditEntry, cancellationToken);
                return entry;
            }
            catch (ProduceException<string, byte[]> e) when (!e.Error.IsFatal && attempt < Attempts)
            {
                await Task.Delay(RetryDelay, time, cancellationToken);
            }
        }
    }

    // The connection's address is the client's: the console is reached without Aspire's proxy, and forwarded headers
    // are believed from known proxies only (FoodOrdering.ServiceDefaults/Clients).
    public static string Who(ClaimsPrincipal user, HttpContext context) =>
        $"{user.Identity?.Name ?? "anonymous (Development, no operator key set)"} from {context.Connection.RemoteIpAddress}";
}
