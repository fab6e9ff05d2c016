using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;

namespace CmacLive.Benchmarks;

/// <summary>The memory of another process: its resident set, and a full blocking GC induced in it from outside.</summary>
public static class SiloMemory
{
    /// <summary>The runtime's GC keyword, and GCHeapCollect: enabling a session with it induces a full blocking GC (as dotnet-gcdump does).</summary>
    private const long GcKeywords = 0x1 | 0x800000;

    /// <summary>VmRSS of the process, in bytes (0 when it cannot be read).</summary>
    public static long RssBytes(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return 0;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is null ? 0 : long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>CPU time the process used so far (user and system), in seconds; 0 when it cannot be read.</summary>
    public static double CpuSeconds(int pid)
    {
        var path = $"/proc/{pid}/stat";
        if (!File.Exists(path))
        {
            return 0;
        }

        // After the command's closing parenthesis: state is field 3, utime 14 and stime 15, in clock ticks (100 a second).
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Induces a full blocking GC in the .NET process <paramref name="pid"/> over its diagnostics port; why not, when it failed.</summary>
    public static async Task<string?> CollectAsync(int pid)
    {
        try
        {
            var client = new DiagnosticsClient(pid);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var session = await client.StartEventPipeSessionAsync(
                [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeywords)], requestRundown: false, circularBufferMB: 64, timeout.Token);
            var drain = session.EventStream.CopyToAsync(Stream.Null, timeout.Token);
            await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token); // the induced GC runs as the session starts; a full one takes well under this
            await session.StopAsync(timeout.Token);
            await drain;
            return null;
        }
        catch (Exception ex)
        {
            return ex.Message;
        }
    }
}
