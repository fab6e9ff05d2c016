using System.Diagnostics;
using System.Text;

namespace CmacLive.EndToEnd.Tests;

/// <summary>A short-lived process run to its end (killed after a bound): its exit code and everything it wrote.</summary>
public static class ProcessRun
{
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, TimeSpan within)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var reading = Task.WhenAll(CopyAsync(process.StandardOutput, output), CopyAsync(process.StandardError, output));
        using var limit = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await reading;
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not end within {within.TotalSeconds} s\n{output}");
        }

        await reading;
        return (process.ExitCode, output.ToString());
    }

    /// <summary>Copies what a process writes, line by line, into <paramref name="output"/> (shared by its two streams).</summary>
    public static async Task CopyAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
