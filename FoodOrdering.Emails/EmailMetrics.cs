using System.Diagnostics.Metrics;

namespace FoodOrdering.Emails;

/// <summary>The Emails service's business metrics, on the meter named after the service.</summary>
internal sealed class EmailMetrics
{
    private readonly Counter<long> _sent;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _duplicates;
    private readonly Histogram<double> _sendDuration;
    private readonly Histogram<double> _emailLatency;

    public EmailMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(typeof(EmailMetrics).Assembly.GetName().Name!);
        _sent = meter.CreateCounter<long>("foodordering.emails.sent", "{email}", "Confirmation emails the SMTP server accepted");
        _retried = meter.CreateCounter<long>("foodordering.emails.retried", "{attempt}", "SMTP sends that failed for a reason not the email's and are tried again");
        _failed = meter.CreateCounter<long>("foodordering.emails.failed", "{email}", "Confirmation emails that can never be delivered (see emails.failed)");
        _duplicates = meter.CreateCounter<long>("foodordering.emails.duplicates_skipped", "{email}", "Redelivered confirmations not sent again");
        _sendDuration = meter.CreateHistogram<double>("foodordering.email.send.duration", "s", "Time for one successful SMTP send",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _emailLatency = meter.CreateHistogram<double>("foodordering.order.email.duration", "s", "Time from an order being placed to its confirmation email being accepted",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    public void Emailed(TimeSpan sincePlaced) => _emailLatency.Record(sincePlaced.TotalSeconds);

    public void Sent(TimeSpan duration)
    {
        _sent.Add(1);
        _sendDuration.Record(duration.TotalSeconds);
    }

    public void Retried() => _retried.Add(1);

    public void Failed(string reason) => _failed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void DuplicateSkipped() => _duplicates.Add(1);
}
