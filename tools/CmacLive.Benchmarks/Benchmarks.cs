using System.Globalization;
using System.Runtime.InteropServices;
using MQTTnet;
using MQTTnet.Protocol;

namespace CmacLive.Benchmarks;

public static class Benchmarks
{
    public const string Usage = """
        usage: dotnet run -c Release --project tools/CmacLive.Benchmarks -- history
                 (--postgres "<connection string>" | --sqlite <file>) [--writers 1000] [--seconds 20]
               dotnet run -c Release --project tools/CmacLive.Benchmarks -- footprint
                 [--assets 10] [--hours 8] [--noise 1.5]
               dotnet run -c Release --project tools/CmacLive.Benchmarks -- dispatch
                 [--teams 300] [--requests 200]
               dotnet run -c Release --project tools/CmacLive.Benchmarks -- dashboard
                 [--assets 2000] [--seconds 30] [--site-zoom 15] [--out artifacts/bench-dashboard]
                 [--url http://127.0.0.1:5000 --token <admin token>]   (a running system and its fleet as they are)
               dotnet run -c Release --project tools/CmacLive.Benchmarks -- auth
                 [--assets 200] [--requests 4000]
               dotnet run -c Release --project tools/CmacLive.Benchmarks -- network
                 [--devices 200] [--seconds 10] [--rounds 3] [--attempts 300]
               dotnet run -c Release --project tools/CmacLive.Benchmarks -- ingest
                 [--modes relay,qos0,qos1[,postgres,cluster]] [--devices 1000] [--seconds 10] [--dashboards 10]
                 [--rates 2500,5000,7500,10000,12500,15000,20000,25000,30000] [--keep-going]
                 [--postgres "<server connection string>"] [--memory 2000,10000]
        """;

    public static int Fail()
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }

    /// <summary>The machine the figures were measured on.</summary>
    public static string Hardware()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"hardware: {Environment.ProcessorCount} cores {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    public static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }

    public static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The p-th percentile (0..1) of an ascending list, nearest rank.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>One fix, as a tracker sends it: the contract's position topic at QoS 1, timed now.</summary>
    public static Task<MqttClientPublishResult> PublishFixAsync(IMqttClient client, string deviceId, double lat, double lon)
    {
        var fix = string.Create(CultureInfo.InvariantCulture,
            $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"lat":{{lat:0.0000000}},"lon":{{lon:0.0000000}},"acc":4}""");
        return client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cmac/v1/{deviceId}/position")
            .WithPayload(fix).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }
}
