using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// The README's quick start, run as it is written: its <c>sh</c> blocks between the quick-start markers, extracted from
/// README.md (never a second copy), in one bash, against a silo on free loopback ports and a data folder of its own
/// (set through the variables the quick start reads and the silo's own environment settings). It must reach a resolved
/// request and stop everything it started.
/// </summary>
public sealed partial class QuickStartTests
{
    private const string StartMarker = "<!-- quick-start:";
    private const string EndMarker = "<!-- quick-start end -->";

    [Fact]
    public async Task The_readmes_quick_start_runs_as_written_from_a_team_on_the_map_to_a_resolved_request()
    {
        var root = SiloEndpoints.RepositoryRoot();
        var commands = Extract(await File.ReadAllTextAsync(Path.Combine(root, "README.md")));
        Assert.Contains("/assign", commands, StringComparison.Ordinal);
        Assert.Contains("/resolve", commands, StringComparison.Ordinal);

        var data = Directory.CreateTempSubdirectory("cmaclive-quickstart-");
        var script = Path.Combine(data.FullName, "..", data.Name + ".sh");
        // Only what a test needs around the README's text: stop at the first failure, and stop whatever is left running.
        await File.WriteAllTextAsync(script, "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + commands);
        try
        {
            var http = SiloEndpoints.FreePort();
            var mqtt = SiloEndpoints.FreePort();
            var start = new ProcessStartInfo("bash") { WorkingDirectory = root };
            start.ArgumentList.Add("-x");
            start.ArgumentList.Add(script);
            // The variables the quick start reads, and the two silo settings it leaves at their defaults (Orleans' port, and
            // MQTT on loopback only), through the silo's own environment settings.
            start.Environment["CMAC"] = $"http://127.0.0.1:{http}";
            start.Environment["MQTT_PORT"] = mqtt.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["CMACLIVE_DATA"] = data.FullName;
            start.Environment["Cluster__SiloPort"] = SiloEndpoints.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Mqtt__BindAddress"] = "127.0.0.1";
            start.Environment["Osmand__Port"] = SiloEndpoints.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Osmand__Address"] = "127.0.0.1";
            start.Environment["DOTNET_ENVIRONMENT"] = "Production";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

            var (exitCode, said) = await ProcessRun.RunAsync(start, TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0, $"the quick start stopped (exit {exitCode}):\n{Tail(said)}");
            Assert.Contains("CmacLive is ready.", said, StringComparison.Ordinal);
            Assert.Matches(ResolvedLine(), said);
            Assert.False(Directory.Exists(data.FullName), "the quick start's last step removes its data folder");
            Assert.False(File.Exists(Path.Combine(root, "cmd.log")), "the quick start's last step removes what it wrote");
        }
        finally
        {
            File.Delete(script);
            if (Directory.Exists(data.FullName))
            {
                data.Delete(recursive: true);
            }
        }
    }

    [Fact]
    public void The_extraction_takes_the_sh_blocks_between_the_markers_and_nothing_else()
    {
        var readme = string.Join('\n',
            "```sh", "before", "```", StartMarker + " x -->", "text", "```sh", "one", "two", "```", "```js", "not this", "```",
            "```sh", "three", "```", EndMarker, "```sh", "after", "```");
        Assert.Equal("one\ntwo\nthree\n", Extract(readme));
    }

    /// <summary>The contents of the <c>sh</c> blocks between the markers, in order.</summary>
    private static string Extract(string readme)
    {
        var from = readme.IndexOf(StartMarker, StringComparison.Ordinal);
        var to = readme.IndexOf(EndMarker, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, "README.md has no quick-start markers");
        var commands = new StringBuilder();
        var inBlock = false;
        foreach (var line in readme[from..to].Split('\n'))
        {
            if (!inBlock && line.TrimEnd() == "```sh")
            {
                inBlock = true;
            }
            else if (inBlock && line.TrimEnd() == "```")
            {
                inBlock = false;
            }
            else if (inBlock)
            {
                commands.Append(line.TrimEnd('\r')).Append('\n');
            }
        }

        return commands.ToString();
    }

    private static string Tail(string text) => text.Length > 6000 ? "…" + text[^6000..] : text;

    [GeneratedRegex("""\{"status":"resolved","outcome":\{"result":"destroyed","items":1""")]
    private static partial Regex ResolvedLine();
}
