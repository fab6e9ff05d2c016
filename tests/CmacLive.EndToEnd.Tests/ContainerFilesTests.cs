using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CmacLive.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// <c>docker/</c> without a container engine: the Dockerfile and compose files pass the linters (docker/lint, npm
/// packages that ./test.sh installs); the image's user, ports, entrypoint and healthcheck are what a deployment expects;
/// and compose.yaml's two silos, with the image's and the compose file's own settings (resolved by Compose's rules from
/// the file itself), run through <c>dotnet</c> as the image runs them, answer the image's healthcheck and form one
/// cluster over PostgreSQL and Mosquitto with its dynamic-security plugin. Only what a container network gives is
/// replaced: service names by loopback, container ports by free ones.
/// </summary>
public sealed class ContainerFilesTests(ITestOutputHelper output)
{
    private static readonly string Docker = Path.Combine(SiloEndpoints.RepositoryRoot(), "docker");

    [Fact]
    public async Task The_Dockerfile_and_the_compose_files_pass_the_linters_which_catch_a_broken_one()
    {
        var clean = await LintAsync();
        Assert.True(clean.ExitCode == 0, clean.Output);
        Assert.Contains("clean", clean.Output, StringComparison.Ordinal);

        // The same linters find the faults of a broken pair: a misspelt flag, a port that is no number, a port published
        // with no interface named, and no project name.
        var folder = Directory.CreateTempSubdirectory("cmaclive-lint-");
        try
        {
            var dockerfile = Path.Combine(folder.FullName, "Dockerfile");
            var compose = Path.Combine(folder.FullName, "compose.yaml");
            await File.WriteAllTextAsync(dockerfile, "FROM debian:12\nEXPOSE http\nHEALTHCHECK --interva=5s CMD true\n");
            await File.WriteAllTextAsync(compose, "services:\n  silo:\n    image: cmaclive\n    ports:\n      - '8080:8080'\n");
            var broken = await LintAsync(dockerfile, compose);
            Assert.Equal(1, broken.ExitCode);
            Assert.Contains("Unknown flag: interva", broken.Output, StringComparison.Ordinal);
            Assert.Contains("Invalid containerPort: http", broken.Output, StringComparison.Ordinal);
            Assert.Contains("no-unbound-port-interfaces", broken.Output, StringComparison.Ordinal);
            Assert.Contains("require-project-name-field", broken.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_image_runs_the_silo_as_an_unprivileged_user_with_its_own_healthcheck()
    {
        var image = await RuntimeStageAsync();
        var user = Assert.Single(image, i => i.Instruction == "USER").Arguments;
        Assert.DoesNotMatch("^(root|0)(:|$)", user);
        Assert.Equal("""["dotnet", "CmacLive.Silo.dll"]""", Assert.Single(image, i => i.Instruction == "ENTRYPOINT").Arguments);
        var healthcheck = Assert.Single(image, i => i.Instruction == "HEALTHCHECK").Arguments;
        Assert.EndsWith("""CMD ["dotnet", "CmacLive.Silo.dll", "healthcheck"]""", healthcheck, StringComparison.Ordinal);
        var exposed = Exposed(image);
        var listening = new Uri(Environment(image)["ASPNETCORE_URLS"].Replace("+", "localhost", StringComparison.Ordinal)).Port;
        Assert.Contains(listening, exposed);
        Assert.Contains(1883, exposed); // the embedded broker's default port
    }

    [Fact]
    public async Task The_compose_files_silos_run_through_dotnet_as_the_image_runs_them_and_form_one_cluster()
    {
        var compose = await ResolveAsync(Path.Combine(Docker, "compose.yaml"), new()
        {
            ["CMACLIVE_ADMIN_TOKEN"] = TestSilo.Token,
            ["CMACLIVE_MQTT_PASSWORD"] = TestMosquitto.SiloPassword,
        });
        var services = compose.GetProperty("services");
        var image = await RuntimeStageAsync();
        var exposed = Exposed(image);

        // The services agree with each other: the silos' database login is the one PostgreSQL is started with, their
        // MQTT login the one Mosquitto's first start creates, on the port its configuration listens on.
        var postgres = Strings(services.GetProperty("postgres").GetProperty("environment"));
        var mosquitto = Strings(services.GetProperty("mosquitto").GetProperty("environment"));
        var listener = File.ReadLines(Path.Combine(Docker, "mosquitto", "mosquitto.conf")).Single(l => l.StartsWith("listener ", StringComparison.Ordinal));
        var silos = new[] { "silo-a", "silo-b" }.Select(name => (Name: name, Service: services.GetProperty(name))).ToList();
        foreach (var (name, service) in silos)
        {
            var settings = Strings(service.GetProperty("environment"));
            var database = new NpgsqlConnectionStringBuilder(settings["Storage__ConnectionString"]);
            Assert.True(services.TryGetProperty(database.Host!, out _), $"{name}: database host {database.Host} is no service");
            Assert.Equal((postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"], postgres["POSTGRES_DB"]), (database.Username, database.Password, database.Database));
            Assert.Equal("mosquitto", settings["Mqtt__Host"]);
            Assert.Equal(listener, $"listener {settings["Mqtt__Port"]}");
            Assert.Equal((mosquitto["CMACLIVE_MQTT_USERNAME"], mosquitto["CMACLIVE_MQTT_PASSWORD"]), (settings["Mqtt__Username"], settings["Mqtt__Password"]));
            Assert.Equal("service_healthy", service.GetProperty("depends_on").GetProperty("postgres").GetProperty("condition").GetString());
            foreach (var published in service.GetProperty("ports").EnumerateArray())
            {
                var containerPort = int.Parse(published.GetString()!.Split(':')[^1], CultureInfo.InvariantCulture);
                Assert.True(exposed.Contains(containerPort), $"{name} publishes port {containerPort}, which the image does not expose");
            }
        }

        Assert.NotEqual(Strings(silos[0].Service.GetProperty("environment"))["Mqtt__ClientId"], Strings(silos[1].Service.GetProperty("environment"))["Mqtt__ClientId"]);

        // Run them: the image's environment, then the service's, as Compose gives a container.
        var connection = await TestPostgres.CreateDatabaseAsync("cmac_compose");
        await using var broker = await TestMosquitto.StartWithDynamicSecurityAsync();
        var started = new List<(SiloProcess Silo, Dictionary<string, string> Environment)>();
        try
        {
            foreach (var (name, service) in silos)
            {
                var environment = new Dictionary<string, string>(Environment(image));
                foreach (var (key, value) in Strings(service.GetProperty("environment")))
                {
                    environment[key] = value;
                }

                var (http, siloPort) = (SiloEndpoints.FreePort(), SiloEndpoints.FreePort());
                var database = new NpgsqlConnectionStringBuilder(connection);
                environment["Storage__ConnectionString"] = new NpgsqlConnectionStringBuilder(environment["Storage__ConnectionString"])
                {
                    Host = database.Host, Port = database.Port, Username = database.Username, Password = database.Password, Database = database.Database,
                }.ConnectionString;
                environment["Mqtt__Host"] = "127.0.0.1";
                environment["Mqtt__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture);
                environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{http}";
                environment["Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
                environment["Cluster__AdvertisedAddress"] = "127.0.0.1"; // a container's own address
                environment["Osmand__Port"] = SiloEndpoints.FreePort().ToString(CultureInfo.InvariantCulture);
                environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
                started.Add((await SiloProcess.StartFromEnvironmentAsync(name, environment, http, broker.Port, siloPort), environment));
            }

            await SiloEndpoints.WaitForActiveSilosAsync(connection, 2, TimeSpan.FromSeconds(60));
            foreach (var (silo, environment) in started)
            {
                var (code, said) = await HealthcheckAsync(image, environment);
                output.WriteLine($"{silo.Name}: {said}");
                Assert.True(code == 0, $"the image's healthcheck failed on {silo.Name}: {said}");
            }

            // A device provisioned through one silo logs in at Mosquitto and its fix shows on the other.
            var (a, b) = (started[0].Silo, started[1].Silo);
            var (assetId, deviceId) = (TrackedAsset.NewId("DU4-CMP"), TrackedAsset.NewId("trk-cmp"));
            var secret = await a.ProvisionAsync(assetId, deviceId, unit: "DU4");
            await using var device = await DeviceProbe.ConnectAsync(broker.Port, deviceId, secret);
            Assert.True((await device.PublishFixAsync(12.77, 102.85, DateTimeOffset.UtcNow.AddSeconds(-5))).IsSuccess);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            JsonElement position;
            while ((position = (await b.GetJsonAsync<JsonElement>($"/api/assets/{assetId}")).GetProperty("position")).ValueKind != JsonValueKind.Object)
            {
                Assert.True(DateTime.UtcNow < deadline, "the fix sent through Mosquitto did not show on the other silo within 20 s");
                await Task.Delay(200);
            }

            Assert.Equal(12.77, position.GetProperty("lat").GetDouble());

            // A stopped silo fails the healthcheck.
            await b.StopAsync(TimeSpan.FromSeconds(30));
            var (stoppedCode, stoppedSaid) = await HealthcheckAsync(image, started[1].Environment);
            Assert.True(stoppedCode == 1, $"the healthcheck of a stopped silo: {stoppedSaid}");
            Assert.StartsWith("unhealthy", stoppedSaid, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var (silo, _) in started)
            {
                output.WriteLine($"--- {silo.Name} ---\n{silo.Output}");
                await silo.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("http://+:8080", null, "http://127.0.0.1:8080/health")]
    [InlineData("https://*:8443;http://0.0.0.0:5000", null, "http://127.0.0.1:5000/health")]
    [InlineData("https://[::]:8443", null, "https://127.0.0.1:8443/health")]
    [InlineData("http://10.1.2.3:80", null, "http://10.1.2.3/health")]
    [InlineData(null, "8081;8082", "http://127.0.0.1:8081/health")]
    [InlineData("", null, "http://127.0.0.1:8080/health")]
    public void The_healthcheck_asks_the_silos_own_first_address_with_a_wildcard_read_as_loopback(string? urls, string? httpPorts, string expected) =>
        Assert.Equal(new Uri(expected), Silo.Extensions.HealthProbe.Target(urls, httpPorts));

    /// <summary>The Dockerfile's HEALTHCHECK command, run with the container's environment.</summary>
    private static async Task<(int ExitCode, string Output)> HealthcheckAsync(IReadOnlyList<(string Instruction, string Arguments)> image, IReadOnlyDictionary<string, string> environment)
    {
        var command = JsonSerializer.Deserialize<string[]>(Single(image, "HEALTHCHECK")[Single(image, "HEALTHCHECK").IndexOf("CMD ", StringComparison.Ordinal)..][4..])!;
        Assert.Equal(["dotnet", "CmacLive.Silo.dll"], command[..2]);
        var (code, said) = await ProcessRun.RunAsync(SiloProcess.Dotnet(command[2..], environment), TimeSpan.FromSeconds(30));
        return (code, said.Trim());
    }

    private static string Single(IReadOnlyList<(string Instruction, string Arguments)> image, string instruction) =>
        image.Single(i => i.Instruction == instruction).Arguments;

    private static async Task<(int ExitCode, string Output)> LintAsync(params string[] files)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Docker };
        foreach (var arg in new[] { Path.Combine(Docker, "lint", "check.mjs"), "lint" }.Concat(files))
        {
            start.ArgumentList.Add(arg);
        }

        return await ProcessRun.RunAsync(start, TimeSpan.FromMinutes(1));
    }

    /// <summary>A compose file as Compose reads it (merge keys applied, variables filled), by docker/lint/check.mjs.</summary>
    private static async Task<JsonElement> ResolveAsync(string file, Dictionary<string, string> variables)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Docker };
        start.ArgumentList.Add(Path.Combine(Docker, "lint", "check.mjs"));
        start.ArgumentList.Add("resolve");
        start.ArgumentList.Add(file);
        foreach (var (key, value) in variables)
        {
            start.Environment[key] = value;
        }

        var (code, said) = await ProcessRun.RunAsync(start, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, said);
        return JsonSerializer.Deserialize<JsonElement>(said);
    }

    /// <summary>The instructions of the Dockerfile's last stage (the image that runs), continuation lines joined.</summary>
    private static async Task<IReadOnlyList<(string Instruction, string Arguments)>> RuntimeStageAsync()
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in await File.ReadAllLinesAsync(Path.Combine(Docker, "Dockerfile")))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }

            var whole = pending + line;
            pending = "";
            var space = whole.IndexOf(' ', StringComparison.Ordinal);
            var instruction = whole[..space].ToUpperInvariant();
            if (instruction == "FROM")
            {
                instructions.Clear();
            }

            instructions.Add((instruction, whole[(space + 1)..].Trim()));
        }

        return instructions;
    }

    private static HashSet<int> Exposed(IReadOnlyList<(string Instruction, string Arguments)> image) =>
        image.Where(i => i.Instruction == "EXPOSE")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(port => int.Parse(port.Split('/')[0], CultureInfo.InvariantCulture))
            .ToHashSet();

    /// <summary>The image's ENV settings (<c>ENV KEY=value KEY2="value 2"</c>).</summary>
    private static Dictionary<string, string> Environment(IReadOnlyList<(string Instruction, string Arguments)> image)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, arguments) in image.Where(i => i.Instruction == "ENV"))
        {
            var rest = arguments;
            while (rest.Length > 0)
            {
                var equals = rest.IndexOf('=', StringComparison.Ordinal);
                var key = rest[..equals].Trim();
                rest = rest[(equals + 1)..];
                string value;
                if (rest.StartsWith('"'))
                {
                    var close = rest.IndexOf('"', 1);
                    value = rest[1..close];
                    rest = rest[(close + 1)..].TrimStart();
                }
                else
                {
                    var end = rest.IndexOf(' ', StringComparison.Ordinal);
                    value = end < 0 ? rest : rest[..end];
                    rest = end < 0 ? "" : rest[(end + 1)..].TrimStart();
                }

                settings[key] = value;
            }
        }

        return settings;
    }

    private static Dictionary<string, string> Strings(JsonElement map) =>
        map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
}
