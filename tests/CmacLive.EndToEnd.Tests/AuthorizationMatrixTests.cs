using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CmacLive.Api.Auth;
using CmacLive.Api.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// The route table (docs/people.md, linked from the README) against a running silo: every mapped route is in it with its policy, and every route
/// answers every role (and no token, and a user with no role) as the table says.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed partial class AuthorizationMatrixTests(SiloFixture fixture)
{
    private const string Anyone = "anonymous";
    private const string NoRole = "no role";

    private TestSilo Silo => fixture.Silo;

    private sealed record Row(string Method, string Path, string Policy, string[]? Roles);

    [Fact]
    public void Every_route_and_hub_method_is_in_the_readme_table_with_its_policy()
    {
        var table = ReadTable();
        var mapped = Silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } path
                && (path.StartsWith("/api", StringComparison.Ordinal) || path.StartsWith("/tiles", StringComparison.Ordinal) || path is "/health" or "/metrics"
                    || path.StartsWith("/openapi", StringComparison.Ordinal) || path.StartsWith(Api.Monitoring.OrleansDashboardAccess.Path, StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)} {PolicyOf(e)}"))
            .ToHashSet();
        var listed = table.Where(r => r.Method != "HUB").Select(r => $"{r.Method} {r.Path} {r.Policy}").ToHashSet();
        Assert.Empty(mapped.Except(listed));
        Assert.Empty(listed.Except(mapped));

        var hub = typeof(OpsHub).GetCustomAttributes(typeof(AuthorizeAttribute), true).Cast<AuthorizeAttribute>().Single().Policy;
        Assert.Contains(table, r => r is { Method: "HUB", Path: OpsHub.Path } && r.Policy == hub);
        // Every method a client may call; the overrides of Hub's connection events (OnConnectedAsync, OnDisconnectedAsync) are not callable.
        foreach (var method in typeof(OpsHub).GetMethods().Where(m => m.DeclaringType == typeof(OpsHub) && !m.IsSpecialName && !m.IsStatic
            && m.GetBaseDefinition().DeclaringType == typeof(OpsHub)))
        {
            var policy = method.GetCustomAttributes(typeof(AuthorizeAttribute), true).Cast<AuthorizeAttribute>().SingleOrDefault()?.Policy;
            Assert.True(policy is not null, $"hub method {method.Name} names no policy");
            Assert.Contains(table, r => r.Method == "HUB" && r.Path == $"{OpsHub.Path} {method.Name}" && r.Policy == policy);
        }

        // The roles column says what the policy admits.
        foreach (var row in table.Where(r => r.Roles is not null))
        {
            Assert.Equal(Policies.RolesOf[row.Policy].Order(), row.Roles!.Order());
        }
    }

    [Fact]
    public async Task Every_route_answers_every_role_as_the_readme_table_says()
    {
        var callers = await CallersAsync();
        var wrong = new List<string>();
        foreach (var row in ReadTable().Where(r => r.Method != "HUB"))
        {
            foreach (var (caller, client) in callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), Concrete(row.Path, Silo.Services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>().SiloAddress.ToParsableString()));
                if (row.Method is "PUT" or "POST")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                // Headers only: the Orleans Dashboard's live log (/orleans/Trace) streams for as long as it is read.
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var expected = Expected(row, caller);
                var status = response.StatusCode;
                var fits = expected switch
                {
                    HttpStatusCode.OK => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500,
                    _ => status == expected,
                };
                if (!fits)
                {
                    wrong.Add($"{row.Method} {row.Path} as {caller}: {(int)status}, expected {(expected == HttpStatusCode.OK ? "allowed" : ((int)expected).ToString())}");
                }
                else if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task The_hub_admits_every_role_and_refuses_no_token_and_no_role()
    {
        var hubRow = ReadTable().Single(r => r is { Method: "HUB", Path: OpsHub.Path });
        foreach (var role in Roles.All)
        {
            await Silo.CreateUserAsync($"hub-{role}", role);
            var token = await Silo.SignInAsync($"hub-{role}");
            Assert.Contains(role, hubRow.Roles!);
            await using var probe = await HubProbe.ConnectAsync(Silo, token);
            await probe.Connection.InvokeAsync("Focus", new[] { "DU5" });
        }

        await Silo.CreateUserAsync("hub-nobody");
        var none = await Silo.SignInAsync("hub-nobody");
        // Over WebSockets the refusal is the upgrade's status.
        var refused = await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(async () => await HubProbe.ConnectAsync(Silo, none));
        Assert.Contains("'403'", refused.Message, StringComparison.Ordinal);
        var anonymous = await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(async () => await HubProbe.ConnectAsync(Silo, token: null));
        Assert.Contains("'401'", anonymous.Message, StringComparison.Ordinal);
    }

    private static HttpStatusCode Expected(Row row, string caller) => row.Policy switch
    {
        Anyone => HttpStatusCode.OK,
        Policies.SignedIn => caller == Anyone ? HttpStatusCode.Unauthorized : HttpStatusCode.OK,
        _ when caller == Anyone => HttpStatusCode.Unauthorized,
        _ => row.Roles!.Contains(caller) ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
    };

    /// <summary>A client per role (a user holding only that role, signed in), one with no role and one with no token.</summary>
    private async Task<List<(string Caller, HttpClient Client)>> CallersAsync()
    {
        var callers = new List<(string, HttpClient)> { (Anyone, Silo.ClientWith(null)) };
        foreach (var role in Roles.All)
        {
            await Silo.CreateUserAsync($"matrix-{role}", role);
            callers.Add((role, Silo.ClientWith(await Silo.SignInAsync($"matrix-{role}"))));
        }

        await Silo.CreateUserAsync("matrix-nobody");
        callers.Add((NoRole, Silo.ClientWith(await Silo.SignInAsync("matrix-nobody"))));
        return callers;
    }

    private static string PolicyOf(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || endpoint.Metadata.GetMetadata<IAuthorizeData>() is null)
        {
            return Anyone;
        }

        // The /api group admits signed-in callers; the route's own policy comes after it.
        return endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Last();
    }

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    /// <summary>
    /// A route with its parameters filled by ids that name nothing, so nothing is changed; the Orleans Dashboard's silo
    /// address (and its history's path) by <paramref name="siloAddress"/>, since it answers 500 for an address that is not one.
    /// </summary>
    internal static string Concrete(string path, string? siloAddress = null) => Placeholder().Replace(path, m => m.Groups[1].Value switch
    {
        "address" or "path" when siloAddress is not null && path.StartsWith("/orleans/", StringComparison.Ordinal) => siloAddress,
        "code" => "MATRIX%2FNONE",
        "username" => "matrix-no-such-user",
        "page" => "1",
        _ => "matrix-none",
    });

    /// <summary>The route table in docs/people.md: <c>| `METHOD /path` | policy | roles |</c>.</summary>
    private static List<Row> ReadTable()
    {
        var readme = File.ReadAllLines(Path.Combine(SiloEndpoints.RepositoryRoot(), "docs", "people.md"));
        var rows = readme.Select(l => TableRow().Match(l)).Where(m => m.Success).Select(m =>
        {
            var roles = m.Groups[4].Value.Trim();
            return new Row(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value,
                roles.StartsWith("any", StringComparison.Ordinal) ? null : roles.Split(',', StringSplitOptions.TrimEntries));
        }).ToList();
        Assert.True(rows.Count > 40, $"the route table in docs/people.md has only {rows.Count} rows");
        return rows;
    }

    [GeneratedRegex(@"^\| `(GET|PUT|POST|DELETE|HUB) ([^`]+)` \| ([a-z-]+) \| ([^|]+) \|$")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"\{\**(\w+)(?::\w+)?\}")]
    private static partial Regex Placeholder();
}
