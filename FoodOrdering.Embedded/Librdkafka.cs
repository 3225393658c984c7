using System.Reflection;
using System.Runtime.InteropServices;

namespace FoodOrdering.Embedded;

/// <summary>
/// The parts of librdkafka's C API that Confluent.Kafka does not wrap: the mock cluster. Calls go to the very
/// library Confluent.Kafka loaded; on Debian the default build cannot load (it needs libsasl2.so.3) and
/// Confluent.Kafka falls back to another variant, which a plain probe for "librdkafka" would not find.
/// </summary>
internal static class Librdkafka
{
    private const string LibraryName = "librdkafka";
    private const int ProducerType = 0;

    static Librdkafka() => NativeLibrary.SetDllImportResolver(typeof(Librdkafka).Assembly, Resolve);

    /// <summary>A bare client handle for the mock cluster to hang from; it connects to nothing itself.</summary>
    public static IntPtr NewHandle()
    {
        var conf = rd_kafka_conf_new();
        var error = new byte[512];
        // Quiet: without bootstrap servers librdkafka would warn that this handle cannot reach a cluster.
        if (rd_kafka_conf_set(conf, "log_level", "3", error, (UIntPtr)error.Length) != 0)
        {
            throw new InvalidOperationException($"rd_kafka_conf_set failed: {System.Text.Encoding.UTF8.GetString(error).TrimEnd('\0')}");
        }

        var handle = rd_kafka_new(ProducerType, conf, error, (UIntPtr)error.Length);
        return handle != IntPtr.Zero
            ? handle
            : throw new InvalidOperationException($"rd_kafka_new failed: {System.Text.Encoding.UTF8.GetString(error).TrimEnd('\0')}");
    }

    public static void Destroy(IntPtr handle) => rd_kafka_destroy(handle);

    public static IntPtr NewMockCluster(IntPtr handle, int brokers) => rd_kafka_mock_cluster_new(handle, brokers);

    public static void DestroyMockCluster(IntPtr cluster) => rd_kafka_mock_cluster_destroy(cluster);

    public static string MockClusterBootstraps(IntPtr cluster) =>
        Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(cluster)) ?? "";

    public static void CreateMockTopic(IntPtr cluster, string topic, int partitions, int replicationFactor)
    {
        var error = rd_kafka_mock_topic_create(cluster, topic, partitions, replicationFactor);
        if (error != 0)
        {
            throw new InvalidOperationException($"Creating topic {topic} on the embedded broker failed with librdkafka error {error}.");
        }
    }

    public static void SetGroupInitialRebalanceDelay(IntPtr cluster, int milliseconds) =>
        rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, milliseconds);

    public static void PushRequestErrors(IntPtr cluster, short apiKey, int[] errors) =>
        rd_kafka_mock_push_request_errors_array(cluster, apiKey, (UIntPtr)errors.Length, errors);

    public static void ClearRequestErrors(IntPtr cluster, short apiKey) => rd_kafka_mock_clear_request_errors(cluster, apiKey);

    public static void SetBrokerDown(IntPtr cluster, int brokerId) => Check(rd_kafka_mock_broker_set_down(cluster, brokerId), "taking a broker down");

    public static void SetBrokerUp(IntPtr cluster, int brokerId) => Check(rd_kafka_mock_broker_set_up(cluster, brokerId), "bringing a broker up");

    public static void SetBrokerRoundTripTime(IntPtr cluster, int brokerId, int milliseconds) =>
        Check(rd_kafka_mock_broker_set_rtt(cluster, brokerId, milliseconds), "setting a broker's round-trip time");

    public static void SetBrokerHostPort(IntPtr cluster, int brokerId, string host, int port) =>
        rd_kafka_mock_broker_set_host_port(cluster, brokerId, host, port);

    public static void SetPartitionLeader(IntPtr cluster, string topic, int partition, int brokerId) =>
        Check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, brokerId), $"moving the leader of {topic} [{partition}]");

    /// <param name="keyType"><c>group</c> or <c>transaction</c>.</param>
    public static void SetCoordinator(IntPtr cluster, string keyType, string key, int brokerId) =>
        Check(rd_kafka_mock_coordinator_set(cluster, keyType, key, brokerId), $"moving the {keyType} coordinator of {key}");

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"The embedded broker failed {what}: librdkafka error {error}.");
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return IntPtr.Zero;
        }

        // Reading the version makes Confluent.Kafka load its librdkafka (with its fallbacks) if it has not yet.
        _ = Confluent.Kafka.Library.Version;
        var loaded = OperatingSystem.IsLinux() ? LoadedLibraryPath() : null;
        return loaded is not null
            ? NativeLibrary.Load(loaded)
            : NativeLibrary.Load(name, assembly, searchPath);
    }

    private static string? LoadedLibraryPath() =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/') is var start and >= 0 ? line[start..] : null)
            .FirstOrDefault(path => path is not null && Path.GetFileName(path).EndsWith("librdkafka.so", StringComparison.Ordinal));

#pragma warning disable SYSLIB1054 // Plain DllImport keeps the resolver above in charge of which library is bound.
    [DllImport(LibraryName)]
    private static extern IntPtr rd_kafka_conf_new();

    [DllImport(LibraryName)]
    private static extern int rd_kafka_conf_set(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errstr, UIntPtr errstrSize);

    [DllImport(LibraryName)]
    private static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [DllImport(LibraryName)]
    private static extern void rd_kafka_destroy(IntPtr rk);

    [DllImport(LibraryName)]
    private static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [DllImport(LibraryName)]
    private static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [DllImport(LibraryName)]
    private static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [DllImport(LibraryName)]
    private static extern int rd_kafka_mock_topic_create(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

    [DllImport(LibraryName)]
    private static extern void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);

    [DllImport(LibraryName)]
    private static extern void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);

    [DllImport(LibraryName)]
    private static extern void rd_kafka_mock_clear_request_errors(IntPtr cluster, short apiKey);

    [DllImport(LibraryName)]
    private static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [DllImport(LibraryName)]
    private static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [DllImport(LibraryName)]
    private static extern int rd_kafka_mock_broker_set_rtt(IntPtr cluster, int brokerId, int rttMs);

    [DllImport(LibraryName)]
    private static extern void rd_kafka_mock_broker_set_host_port(IntPtr cluster, int brokerId, [MarshalAs(UnmanagedType.LPUTF8Str)] string host, int port);

    [DllImport(LibraryName)]
    private static extern int rd_kafka_mock_partition_set_leader(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partition, int brokerId);

    [DllImport(LibraryName)]
    private static extern int rd_kafka_mock_coordinator_set(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string keyType, [MarshalAs(UnmanagedType.LPUTF8Str)] string key, int brokerId);
#pragma warning restore SYSLIB1054
}
