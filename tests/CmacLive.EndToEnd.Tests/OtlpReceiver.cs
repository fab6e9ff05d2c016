using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A minimal OTLP/HTTP receiver on loopback (Kestrel): <c>POST /v1/traces</c> and <c>/v1/metrics</c> with protobuf bodies,
/// read with <see cref="ProtobufReader"/> into spans and metric names. Anything else answers 404; a body that is not
/// <c>application/x-protobuf</c> answers 415.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private readonly ConcurrentDictionary<string, byte> _metrics = new(StringComparer.Ordinal);

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<OtlpSpan> Spans => _spans;

    public ICollection<string> MetricNames => _metrics.Keys;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", (HttpRequest request) => receiver.ReceiveAsync(request, receiver.ReadTraces));
        app.MapPost("/v1/metrics", (HttpRequest request) => receiver.ReceiveAsync(request, receiver.ReadMetrics));
        app.MapPost("/v1/logs", (HttpRequest request) => receiver.ReceiveAsync(request, _ => { }));
        await app.StartAsync();
        receiver.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request, Action<ReadOnlyMemory<byte>> read)
    {
        if (request.ContentType != "application/x-protobuf")
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        read(body.ToArray());
        return Results.Bytes([], "application/x-protobuf"); // an empty Export*ServiceResponse: all accepted
    }

    /// <summary>ExportTraceServiceRequest: resource_spans(1) → scope_spans(2) → spans(2).</summary>
    private void ReadTraces(ReadOnlyMemory<byte> request)
    {
        foreach (var resource in ProtobufReader.All(request, 1))
        {
            foreach (var scope in ProtobufReader.All(resource, 2))
            {
                var scopeName = ProtobufReader.Text(ProtobufReader.One(scope, 1), 1);
                foreach (var span in ProtobufReader.All(scope, 2))
                {
                    _spans.Enqueue(OtlpSpan.Read(span, scopeName));
                }
            }
        }
    }

    /// <summary>ExportMetricsServiceRequest: resource_metrics(1) → scope_metrics(2) → metrics(2) → name(1).</summary>
    private void ReadMetrics(ReadOnlyMemory<byte> request)
    {
        foreach (var metric in ProtobufReader.All(request, 1).SelectMany(r => ProtobufReader.All(r, 2)).SelectMany(s => ProtobufReader.All(s, 2)))
        {
            _metrics.TryAdd(ProtobufReader.Text(metric, 1), 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
