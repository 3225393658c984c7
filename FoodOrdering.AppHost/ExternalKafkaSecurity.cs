using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace FoodOrdering.AppHost;

/// <summary>
/// How the services authenticate to a managed Kafka in External mode (the <c>External:Kafka</c> section; the
/// password is the secret parameter <c>kafka-password</c>). The AppHost hands these to every service as the
/// same-named <c>Config</c> properties of its producers and consumers (Confluent.Kafka's ClientConfig).
/// </summary>
internal sealed class ExternalKafkaSecurity
{
    public const string SectionName = "External:Kafka";
    public const string PasswordParameter = "kafka-password";

    /// <summary>librdkafka's <c>security.protocol</c>: <c>plaintext</c>, <c>ssl</c>, <c>sasl_plaintext</c> or <c>sasl_ssl</c>.</summary>
    [RegularExpression("(?i)^(plaintext|ssl|sasl_plaintext|sasl_ssl)$")]
    public string? SecurityProtocol { get; set; }

    /// <summary>librdkafka's <c>sasl.mechanisms</c>, e.g. <c>PLAIN</c> or <c>SCRAM-SHA-512</c>.</summary>
    public string? SaslMechanism { get; set; }

    /// <summary>The SASL user (an API key on Confluent Cloud); its password comes from the <c>kafka-password</c> parameter.</summary>
    public string? SaslUsername { get; set; }

    /// <summary>
    /// The name of Confluent.Kafka's enum member for a value written the librdkafka way (<c>SASL_SSL</c> →
    /// <c>SaslSsl</c>, <c>SCRAM-SHA-512</c> → <c>ScramSha512</c>): the services' configuration binder knows the
    /// member names only.
    /// </summary>
    public static string EnumName<TEnum>(string value) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(value.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var member)
            ? member.ToString()
            : throw new InvalidOperationException($"'{value}' is not a {typeof(TEnum).Name} Confluent.Kafka knows ({string.Join(", ", Enum.GetNames<TEnum>())}).");

    public static ExternalKafkaSecurity? From(IConfiguration configuration)
    {
        var security = configuration.GetSection(SectionName).Get<ExternalKafkaSecurity>();
        if (security is null)
        {
            return null;
        }

        Validator.ValidateObject(security, new ValidationContext(security), validateAllProperties: true);
        return security;
    }
}

/// <summary>Marks the <c>kafka</c> connection-string resource with the security its clients need.</summary>
internal sealed record KafkaClientSecurityAnnotation(ExternalKafkaSecurity Security, IResourceBuilder<ParameterResource>? Password) : IResourceAnnotation;
