using System.Net.Http.Headers;
using System.Text;

namespace CmacLive.Import;

/// <summary>
/// The import command: reads and checks every area of the file, then PUTs each to
/// <c>/api/hazard-areas/{code}</c>. Answers the exit code: 0 all imported, 1 some refused by the server,
/// 2 nothing sent because the file or the arguments are wrong.
/// </summary>
public static class Importer
{
    public const string Usage = """
        Imports hazard areas into CmacLive from a GeoJSON FeatureCollection (or Feature) or an Esri Shapefile.

          dotnet run --project tools/CmacLive.Import -- --url http://127.0.0.1:5000 --token TOKEN [options] FILE

          --url URL          the silo's HTTP address
          --token TOKEN      an admin bearer token (or the CMACLIVE_TOKEN environment variable)
          --map a=B,c=D      take property a from attribute B (properties: code, type, name, province, unit,
                             priority, project; attribute names ignore case)
          --dry-run          check the file only; send nothing

        Every feature needs a code and a type (SHA or CHA) and a valid Polygon or MultiPolygon. A
        shapefile's .prj is honoured (UTM zone 48N and the like are brought to WGS84). If any feature is
        wrong, nothing is sent and every problem is listed.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, HttpMessageHandler? handler = null)
    {
        string? url = null, token = Environment.GetEnvironmentVariable("CMACLIVE_TOKEN"), file = null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var dryRun = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--url" when i + 1 < args.Length:
                    url = args[++i];
                    break;
                case "--token" when i + 1 < args.Length:
                    token = args[++i];
                    break;
                case "--map" when i + 1 < args.Length:
                    foreach (var pair in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
                        if (parts.Length != 2 || !HazardAreaFile.Fields.Contains(parts[0]))
                        {
                            await output.WriteLineAsync($"--map: '{pair}' is not property=ATTRIBUTE with a property of {string.Join(", ", HazardAreaFile.Fields)}");
                            return 2;
                        }

                        map[parts[0]] = parts[1];
                    }

                    break;
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--help" or "-h":
                    await output.WriteLineAsync(Usage);
                    return 0;
                default:
                    if (file is not null || args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        await output.WriteLineAsync($"unexpected argument '{args[i]}'\n\n{Usage}");
                        return 2;
                    }

                    file = args[i];
                    break;
            }
        }

        if (file is null || (!dryRun && (url is null || string.IsNullOrEmpty(token))))
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        var (areas, problems) = HazardAreaFile.Read(file, map);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await output.WriteLineAsync(problem);
            }

            await output.WriteLineAsync($"{problems.Count} problem(s); nothing imported.");
            return 2;
        }

        if (dryRun)
        {
            await output.WriteLineAsync($"{areas.Count} area(s) checked; nothing sent (dry run).");
            return 0;
        }

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = new Uri(url!);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var refused = 0;
        foreach (var area in areas)
        {
            using var content = new StringContent(HazardAreaFile.ToFeatureJson(area), Encoding.UTF8, "application/geo+json");
            using var response = await http.PutAsync($"/api/hazard-areas/{Uri.EscapeDataString(area.Code)}", content);
            if (response.IsSuccessStatusCode)
            {
                await output.WriteLineAsync($"{area.Code}: imported");
            }
            else
            {
                refused++;
                await output.WriteLineAsync($"{area.Code}: refused ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
            }
        }

        await output.WriteLineAsync($"{areas.Count - refused} of {areas.Count} area(s) imported.");
        return refused == 0 ? 0 : 1;
    }
}
