namespace CmacLive.Api.Http;

/// <summary>The <c>Api</c> configuration section.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>The largest request body, with a length or chunked; larger ones are refused with 413 before they are read whole.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Serves the OpenAPI document at <c>/openapi/v1.json</c> and the reference at <c>/api-docs</c>; false maps neither.</summary>
    public bool Docs { get; set; } = true;

    /// <summary>The most events one <c>GET /api/assets/{id}/events</c> answers; a period holding more is refused (narrow it).</summary>
    public int MaxAssetEvents { get; set; } = 10_000;
}
