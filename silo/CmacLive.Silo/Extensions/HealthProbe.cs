using System.Net.Http.Headers;

namespace CmacLive.Silo.Extensions;

/// <summary>
/// <c>dotnet CmacLive.Silo.dll healthcheck [url]</c>: asks a running silo's <c>/health</c> and exits 0 when it answers
/// 200 (healthy or degraded), 1 otherwise. The container image's HEALTHCHECK runs it, since the runtime image has no
/// HTTP client of its own. Without a URL it asks the silo's own first HTTP address from <c>ASPNETCORE_URLS</c> (or
/// <c>ASPNETCORE_HTTP_PORTS</c>), with a wildcard host read as loopback.
/// </summary>
public static class HealthProbe
{
    public const string Command = "healthcheck";

    /// <summary>The longest the probe waits for an answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Command;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        Uri target;
        try
        {
            target = args.Length > 1 ? new Uri(args[1]) : Target(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"), Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        }
        catch (Exception ex) when (ex is UriFormatException or FormatException or OverflowException)
        {
            await output.WriteLineAsync($"unhealthy: no address to ask ({ex.Message})");
            return 1;
        }

        using var http = new HttpClient(new SocketsHttpHandler
        {
            // The silo's own certificate on loopback need not name "127.0.0.1".
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => target.IsLoopback },
        })
        { Timeout = Timeout };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        try
        {
            using var answer = await http.GetAsync(target);
            var body = await answer.Content.ReadAsStringAsync();
            await output.WriteLineAsync($"{(answer.IsSuccessStatusCode ? "healthy" : "unhealthy")}: {target} answered {(int)answer.StatusCode} {body}");
            return answer.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"unhealthy: {target} did not answer ({ex.Message})");
            return 1;
        }
    }

    /// <summary>The <c>/health</c> address of the first URL the silo listens on; plain HTTP is preferred to HTTPS.</summary>
    public static Uri Target(string? urls, string? httpPorts)
    {
        var candidates = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(BindingAddress.Parse)
            .Where(a => !a.IsUnixPipe)
            .OrderBy(a => string.Equals(a.Scheme, "http", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ToList();
        if (candidates.FirstOrDefault() is { } address)
        {
            var host = address.Host is "+" or "*" or "0.0.0.0" or "[::]" or "localhost" ? "127.0.0.1" : address.Host;
            return new Uri($"{address.Scheme}://{host}:{address.Port}/health");
        }

        var port = (httpPorts ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
        return new Uri($"http://127.0.0.1:{int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)}/health");
    }
}
