using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmacLive.Api.Docs;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> against the running silo: every mapped route is in it, it reads back as
/// OpenAPI 3.1 and validates against the official schema, it describes the bodies the routes really read and the answers
/// they really give, and the reference at <c>/api-docs</c> renders it in Chromium without a request leaving the machine.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class OpenApiTests(SiloFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task Every_mapped_route_is_in_the_document_with_its_method_and_nothing_else_is()
    {
        var document = await DocumentAsync();
        var documented = Operations(document).Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}").ToHashSet();

        var endpoints = Silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var excluded = endpoints.Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            .Select(e => e.RoutePattern.RawText!).ToList();
        // Only the document and its reference leave themselves out, and the Orleans Dashboard's own UI (not CmacLive's API).
        Assert.All(excluded, path => Assert.True(path.StartsWith("/openapi/", StringComparison.Ordinal)
            || path.StartsWith(ApiDocsExtensions.ReferencePath, StringComparison.Ordinal)
            || path.StartsWith(Api.Monitoring.OrleansDashboardAccess.Path + "/", StringComparison.Ordinal) || path == Api.Monitoring.OrleansDashboardAccess.Path,
            $"{path} is left out of the document"));
        Assert.Contains(ApiDocsExtensions.DocumentPath, excluded);

        // A route of any method (the hub's, mapped by SignalR) is documented with the methods its clients use.
        var mapped = endpoints.Where(e => !excluded.Contains(e.RoutePattern.RawText!))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        Assert.True(mapped.Count > 50, $"only {mapped.Count} routes mapped");
        Assert.Contains("* /health", mapped);
        Assert.Contains("* /hubs/ops", mapped);
        Assert.DoesNotContain(mapped, m => m.StartsWith("* ", StringComparison.Ordinal)
            ? !documented.Any(d => d.EndsWith(m[1..], StringComparison.Ordinal)) : !documented.Contains(m));
        Assert.DoesNotContain(documented, d => !mapped.Contains(d) && !mapped.Contains("*" + d[d.IndexOf(' ', StringComparison.Ordinal)..]));

        // Every operation can be called by name and says what it does.
        foreach (var operation in Operations(document))
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.Node["operationId"]?.GetValue<string>()), $"{operation} has no operationId");
            Assert.False(string.IsNullOrWhiteSpace(operation.Node["summary"]?.GetValue<string>()), $"{operation} has no summary");
            Assert.NotEmpty(operation.Node["tags"]!.AsArray());
        }

        var ids = Operations(document).Select(o => o.Node["operationId"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task The_document_reads_back_as_OpenAPI_3_1_with_no_error_or_warning_and_validates_against_the_official_schema()
    {
        using var anonymous = Silo.ClientWith(null);
        using var response = await anonymous.GetAsync(ApiDocsExtensions.DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("3.1.", JsonNode.Parse(text)!["openapi"]!.GetValue<string>(), StringComparison.Ordinal);

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var read = await OpenApiDocument.LoadAsync(stream, "json", new OpenApiReaderSettings());
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic!.SpecificationVersion);
        Assert.True(read.Diagnostic.Errors.Count == 0, string.Join('\n', read.Diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.True(read.Diagnostic.Warnings.Count == 0, string.Join('\n', read.Diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}")));
        var openApi = read.Document;
        Assert.NotNull(openApi);
        var faults = openApi.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(faults.Count == 0, string.Join('\n', faults.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.True(openApi.Paths.Count > 40);

        var (valid, output) = await SchemaCheckAsync(text);
        Assert.True(valid, output);
        Assert.Contains("\"version\":\"3.1\"", output, StringComparison.Ordinal);

        // The check can fail: the same document with an operation that gives no answers does not validate.
        var broken = JsonNode.Parse(text)!;
        broken["paths"]!["/api/me"]!["get"]!["responses"] = "none";
        var (brokenValid, brokenOutput) = await SchemaCheckAsync(broken.ToJsonString());
        Assert.False(brokenValid, brokenOutput);
    }

    [Fact]
    public async Task Every_route_that_reads_a_body_documents_it_and_every_member_it_documents_is_one_the_route_reads()
    {
        var document = await DocumentAsync();
        await Silo.CreateUserAsync("openapi-holder", "operator");
        var wrong = new List<string>();
        foreach (var operation in Operations(document).Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal) && o.Method is "put" or "post"))
        {
            // A real user: a key's body is read against its user's roles (for no such user, any object answers 404).
            var path = Concrete(operation.Path.Replace("{username}", "openapi-holder", StringComparison.Ordinal));

            // A JSON array where an object is due: a route that reads a body names `body`; one that does not, does not.
            var (status, errors) = await SendAsync(operation.Method, path, "[]");
            var readsBody = status == HttpStatusCode.BadRequest && errors.Contains("body");
            var body = operation.Node["requestBody"];
            if (readsBody != body is not null)
            {
                wrong.Add($"{operation}: answered {(int)status} naming [{string.Join(", ", errors)}], but the document {(body is null ? "has no" : "has a")} requestBody");
                continue;
            }

            if (body is null)
            {
                continue;
            }

            Assert.NotNull(body["content"]!["application/json"]);
            foreach (var (member, value) in WrongMembers(Resolve(document, body["content"]!["application/json"]!["schema"]!), document, ""))
            {
                var (answer, named) = await SendAsync(operation.Method, path, value.ToJsonString());
                if (answer != HttpStatusCode.BadRequest || !named.Contains(member))
                {
                    wrong.Add($"{operation}: {value.ToJsonString()} answered {(int)answer} naming [{string.Join(", ", named)}], not {member}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task Every_answer_a_route_gives_is_documented_with_problem_json_and_the_bearer_scheme_is_applied_as_each_route_asks()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("http", schemes[ApiDocument.BearerScheme]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", schemes[ApiDocument.BearerScheme]!["scheme"]!.GetValue<string>());
        Assert.Contains("cmk_", schemes[ApiDocument.BearerScheme]!["description"]!.GetValue<string>(), StringComparison.Ordinal);

        await Silo.CreateUserAsync("openapi-viewer", "viewer");
        var callers = new (string Name, HttpClient Client)[]
        {
            ("admin", Silo.ClientWith(TestSilo.Token)),
            ("viewer", Silo.ClientWith(await Silo.SignInAsync("openapi-viewer"))),
            ("anonymous", Silo.ClientWith(null)),
        };
        var wrong = new List<string>();
        foreach (var operation in Operations(document).Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal)))
        {
            var responses = operation.Node["responses"]!.AsObject();
            var secured = operation.Node["security"]?.AsArray().Any(r => r!.AsObject().ContainsKey(ApiDocument.BearerScheme)) == true;
            var open = operation.Path == "/api/auth/token";
            if (secured == open)
            {
                wrong.Add($"{operation}: {(open ? "open to anyone but asks for" : "needs but does not ask for")} the bearer scheme");
            }

            foreach (var status in open ? new[] { "429" } : ["401", "429", "503"])
            {
                if (!responses.ContainsKey(status))
                {
                    wrong.Add($"{operation}: no {status}");
                }
            }

            if (operation.Node["requestBody"] is not null && !(responses.ContainsKey("400") && responses.ContainsKey("413")))
            {
                wrong.Add($"{operation}: a body but no 400 or 413");
            }

            foreach (var (caller, client) in callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method.ToUpperInvariant()), Concrete(operation.Path));
                if (operation.Method is "put" or "post")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request);
                var code = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (responses[code] is not { } documented)
                {
                    wrong.Add($"{operation} as {caller}: answered {code}, not in the document");
                }
                else if ((int)response.StatusCode >= 400)
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        wrong.Add($"{operation} as {caller}: {code} as {response.Content.Headers.ContentType?.MediaType}");
                    }

                    if (documented["content"]?["application/problem+json"] is null)
                    {
                        wrong.Add($"{operation}: {code} is documented without application/problem+json");
                    }
                }
            }
        }

        foreach (var (_, client) in callers)
        {
            client.Dispose();
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));

        // A 400 names the field: the document says so, and its schema has the errors by field.
        var validation = document["components"]!["schemas"]!["HttpValidationProblemDetails"]!;
        Assert.NotNull(validation["properties"]!["errors"]);
        Assert.Contains("names every field", Operations(document).Single(o => o.Path == "/api/assets/{id}" && o.Method == "put")
            .Node["responses"]!["400"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schemas_say_what_the_routes_write_and_enums_list_their_wire_names()
    {
        var document = await DocumentAsync();
        var put = await Silo.Http.PutAsync("/api/assets/OPENAPI-T1",
            new StringContent("""{"kind":"team","name":"OpenAPI team","unit":"OA1","capabilities":["eod"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var faults = new List<string>();
        foreach (var path in new[]
        {
            "/api/me", "/api/users", "/api/auth/stats", "/api/assets", "/api/assets/OPENAPI-T1", "/api/audit", "/api/alerts", "/api/detections",
            "/api/hazard-areas", "/api/hazard-areas/outlines", "/api/dispatch/requests", "/api/dispatch/figures", "/api/reports/daily",
            "/api/projects", "/api/ingest/stats", "/api/dashboard/config", "/api/assets/OPENAPI-T1/track",
        })
        {
            using var response = await Silo.Http.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            var operation = Operations(document).Single(o => o.Method == "get" && o.Path == Template(document, path));
            var mediaType = response.Content.Headers.ContentType!.MediaType!;
            var schema = operation.Node["responses"]!["200"]!["content"]![mediaType]?["schema"];
            Assert.True(schema is not null, $"{path}: {mediaType} is not documented");
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Conforms(answer.RootElement, Resolve(document, schema), document, path, faults);
        }

        Assert.True(faults.Count == 0, string.Join('\n', faults));

        // Every enum in the document is a CmacLive enum, listed by the names the contract writes.
        var enums = typeof(WireNames).Assembly.GetTypes().Concat(typeof(Api.Apis.Problems).Assembly.GetTypes())
            .Concat(typeof(CmacLive.Detections.FindJson).Assembly.GetTypes()).Where(t => t.IsEnum && t.IsPublic).ToList();
        var checkedEnums = 0;
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            if (schema!["enum"] is not JsonArray values)
            {
                continue;
            }

            var type = enums.Single(t => t.Name == name);
            var of = typeof(WireNames).GetMethod(nameof(WireNames.Of))!.MakeGenericMethod(type);
            var wire = Enum.GetValues(type).Cast<object>().Select(v => (string)of.Invoke(null, [v])!).ToList();
            Assert.Equal(wire, values.Select(v => v!.GetValue<string>()));
            checkedEnums++;
        }

        Assert.True(checkedEnums >= 10, $"only {checkedEnums} enums in the document");
    }

    [Fact]
    public async Task The_reference_at_api_docs_renders_every_tag_and_its_operations_in_chromium_with_no_request_leaving_loopback()
    {
        var document = await DocumentAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        try
        {
            var outside = new List<string>();
            var requested = new List<string>();
            context.Request += (_, request) => requested.Add(request.Url);
            await context.RouteAsync("**/*", async route =>
            {
                if (Leaves(route.Request.Url))
                {
                    lock (outside)
                    {
                        outside.Add(route.Request.Url);
                    }

                    await route.AbortAsync();
                    return;
                }

                await route.ContinueAsync();
            });
            var errors = new List<string>();
            var page = await context.NewPageAsync();
            page.PageError += (_, error) => errors.Add(error);

            var opened = await page.GotoAsync(new Uri(Silo.BaseAddress, ApiDocsExtensions.ReferencePath).ToString());
            Assert.Equal(200, opened!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "CmacLive API" })).ToBeVisibleAsync(new() { Timeout = 30_000 });

            // Every tag's group in the sidebar, opened, lists each of its operations by summary and method.
            foreach (var tag in Operations(document).SelectMany(o => o.Node["tags"]!.AsArray().Select(t => t!.GetValue<string>())).Distinct())
            {
                var open = page.GetByRole(AriaRole.Button, new() { Name = $"Open Group - {tag}", Exact = true });
                if (await open.CountAsync() > 0)
                {
                    await open.ClickAsync();
                }
            }

            foreach (var operation in Operations(document))
            {
                var link = page.Locator($"a[href$='/{operation.Method.ToUpperInvariant()}{operation.Path}']").First;
                await Assertions.Expect(link).ToContainTextAsync(operation.Node["summary"]!.GetValue<string>(), new() { Timeout = 10_000 });
            }

            await page.ScreenshotAsync(new() { Path = Path.Combine(browser.Screenshots, "api-docs.png") });
            Assert.Contains(requested, url => url.EndsWith(ApiDocsExtensions.DocumentPath, StringComparison.Ordinal));
            Assert.True(outside.Count == 0, "requests leaving the machine:\n" + string.Join('\n', outside));
            Assert.DoesNotContain(requested, Leaves);
            Assert.Empty(errors);
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_Api_Docs_false_neither_the_document_nor_the_reference_is_served()
    {
        await using var silo = await TestSilo.StartAsync(TestSilo.NewDataFolder(), "--Api:Docs=false");
        using var anonymous = silo.ClientWith(null);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(ApiDocsExtensions.DocumentPath)).StatusCode);
        var reference = await anonymous.GetAsync(ApiDocsExtensions.ReferencePath + "/");
        Assert.Equal(HttpStatusCode.NotFound, reference.StatusCode);
        Assert.DoesNotContain("scalar", await reference.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>(),
            e => e.RoutePattern.RawText!.StartsWith("/openapi", StringComparison.Ordinal) || e.RoutePattern.RawText!.StartsWith(ApiDocsExtensions.ReferencePath, StringComparison.Ordinal));
    }

    private sealed record Operation(string Method, string Path, JsonNode Node)
    {
        public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var anonymous = Silo.ClientWith(null);
        return JsonNode.Parse(await anonymous.GetStringAsync(ApiDocsExtensions.DocumentPath))!;
    }

    private static IEnumerable<Operation> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(m => Methods.Contains(m.Key)).Select(m => new Operation(m.Key, path.Key, m.Value!)));

    /// <summary>A route pattern as the document writes its path: no trailing slash, a catch-all as a plain parameter.</summary>
    private static string Normalize(string pattern)
    {
        var path = pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
        return path.Replace("{**", "{", StringComparison.Ordinal);
    }

    private static string Concrete(string path) => AuthorizationMatrixTests.Concrete(path);

    /// <summary>The documented path a concrete one was made from: a literal segment wins over a parameter.</summary>
    private static string Template(JsonNode document, string concrete)
    {
        var parts = concrete.Split('/');
        return document["paths"]!.AsObject().Select(p => p.Key).Where(t => t.Split('/') is var s && s.Length == parts.Length
                && s.Zip(parts).All(x => x.First == x.Second || x.First.StartsWith('{')))
            .OrderBy(t => t.Count(c => c == '{')).First();
    }

    private static bool Leaves(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss" && !uri.IsLoopback;

    private async Task<(HttpStatusCode Status, HashSet<string> Errors)> SendAsync(string method, string path, string json)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        using var response = await Silo.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var errors = response.StatusCode == HttpStatusCode.BadRequest && JsonNode.Parse(text)?["errors"] is JsonObject named
            ? named.Select(e => e.Key).ToHashSet()
            : [];
        return (response.StatusCode, errors);
    }

    /// <summary>
    /// For each member of a body schema, a body holding only that member with a value of a type the schema refuses (text
    /// for an object, an object for anything else), and the field the 400 must name; members of the project's own body
    /// objects (<c>outcome</c>, <c>properties</c>) one level down too.
    /// </summary>
    private static IEnumerable<(string Member, JsonObject Body)> WrongMembers(JsonNode schema, JsonNode document, string prefix)
    {
        foreach (var (name, member) in schema["properties"]!.AsObject())
        {
            var target = Resolve(document, member!);
            var isObject = Types(target).Contains("object");
            yield return (prefix + name, new JsonObject { [name] = isObject ? JsonValue.Create("not an object") : new JsonObject { ["wrong"] = 1 } });
            if (isObject && target["properties"] is not null && RefName(member!) is { } component && component.EndsWith("Body", StringComparison.Ordinal))
            {
                foreach (var (inner, body) in WrongMembers(target, document, $"{prefix}{name}."))
                {
                    yield return (inner, new JsonObject { [name] = body });
                }
            }
        }
    }

    private static string? RefName(JsonNode schema) =>
        (schema["$ref"] ?? schema["oneOf"]?.AsArray().Select(o => o!["$ref"]).FirstOrDefault(r => r is not null))?.GetValue<string>().Split('/')[^1];

    /// <summary>The schema a reference (or a nullable reference, <c>oneOf [null, $ref]</c>) points to.</summary>
    private static JsonNode Resolve(JsonNode document, JsonNode schema) =>
        RefName(schema) is { } name && (schema["$ref"] is not null || schema["oneOf"] is not null)
            ? document["components"]!["schemas"]![name]!
            : schema;

    private static HashSet<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray many => many.Select(t => t!.GetValue<string>()).ToHashSet(),
        JsonValue one => [one.GetValue<string>()],
        _ => [],
    };

    /// <summary>Whether a written value has the shape its schema says: types, enum values, every member documented, every required one there.</summary>
    private static void Conforms(JsonElement value, JsonNode schema, JsonNode document, string at, List<string> faults)
    {
        if (schema["oneOf"] is JsonArray options)
        {
            if (value.ValueKind == JsonValueKind.Null && options.Any(o => Types(o!).Contains("null")))
            {
                return;
            }

            schema = Resolve(document, schema);
        }

        schema = Resolve(document, schema);
        if (schema["enum"] is JsonArray values)
        {
            if (value.ValueKind != JsonValueKind.String || !values.Any(v => v!.GetValue<string>() == value.GetString()))
            {
                faults.Add($"{at}: {value.GetRawText()} is not one of {values.ToJsonString()}");
            }

            return;
        }

        var types = Types(schema);
        var kind = value.ValueKind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        };
        if (types.Count > 0 && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
        {
            faults.Add($"{at}: a {kind} where the document says {string.Join(" or ", types)}");
            return;
        }

        if (kind == "object")
        {
            var properties = schema["properties"]?.AsObject();
            foreach (var member in value.EnumerateObject())
            {
                if (properties?[member.Name] is { } property)
                {
                    Conforms(member.Value, property, document, $"{at}.{member.Name}", faults);
                }
                else if (schema["additionalProperties"] is JsonObject extra)
                {
                    Conforms(member.Value, extra, document, $"{at}.{member.Name}", faults);
                }
                else
                {
                    faults.Add($"{at}: member {member.Name} is not in the document");
                }
            }

            foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
            {
                if (!value.TryGetProperty(required, out _))
                {
                    faults.Add($"{at}: required member {required} is missing");
                }
            }
        }
        else if (kind == "array" && schema["items"] is { } items)
        {
            foreach (var (item, i) in value.EnumerateArray().Take(20).Select((e, i) => (e, i)))
            {
                Conforms(item, items, document, $"{at}[{i}]", faults);
            }
        }
    }

    /// <summary>Runs the official OpenAPI JSON schema check (tools/openapi-check, its packages installed by test.sh) on a document.</summary>
    private static async Task<(bool Valid, string Output)> SchemaCheckAsync(string document)
    {
        var folder = Path.Combine(SiloEndpoints.RepositoryRoot(), "tools", "openapi-check");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@seriousme", "openapi-schema-validator")),
            $"run `npm ci` in {folder} (test.sh does)");
        var start = new ProcessStartInfo("node", ["validate.mjs", "-"])
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(document);
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        return (node.ExitCode == 0, await output + await error);
    }
}
