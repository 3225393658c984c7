using Microsoft.Extensions.Configuration;
using System.ComponentModel.DataAnnotations;

namespace FoodOrdering.Embedded;

/// <summary>The <c>Embedded</c> section: how the in-process stand-ins for Kafka and SMTP are set up.</summary>
internal sealed class EmbeddedOptions
{
    public const string SectionName = "Embedded";

    /// <summary>Brokers in the mock cluster.</summary>
    [Range(1, 9)]
    public int KafkaBrokers { get; set; } = 1;

    /// <summary>Partitions of every topic, created up front; consumers of one group can share up to this many.</summary>
    [Range(1, 256)]
    public int KafkaPartitions { get; set; } = 3;

    /// <summary>
    /// The port of broker 1 (broker 2 takes the next, and so on), on localhost, for any Kafka tool
    /// (<c>kcat -b localhost:9092 -L</c>); 0 leaves the brokers on free ports of librdkafka's choosing.
    /// </summary>
    [Range(0, 65_000)]
    public int KafkaPort { get; set; } = 9092;

    /// <summary>
    /// Where the SMTP sink writes each message it receives as an <c>.eml</c> file. The default is a folder of the
    /// user's own in the temp folder: on Linux that is <c>/tmp</c>, which every user shares, and the mail holds
    /// customers' names, addresses and orders.
    /// </summary>
    [Required]
    public string MailDirectory { get; set; } = Path.Combine(Path.GetTempPath(), $"foodordering-mail-{UserFolderName()}");

    /// <summary>The SMTP sink's loopback port; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int SmtpPort { get; set; }

    private static string UserFolderName() =>
        string.Concat(Environment.UserName.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c));

    public static EmbeddedOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<EmbeddedOptions>() ?? new EmbeddedOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }
}
