using System.Runtime.InteropServices;

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
}
