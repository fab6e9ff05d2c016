namespace CmacLive.Validation;

/// <summary>
/// How long and how large what clients send may be, for REST bodies and query parameters and for MQTT payloads
/// alike: one place, named by field group. Over a limit, REST answers 400 naming the field and MQTT refuses the
/// message with its reason; nothing is stored. The field limits in docs/contract.md list these.
/// </summary>
public static class InputLimits
{
    /// <summary>Ids: assets, devices, units, projects, requests, API key names, hazard-area codes, user names.</summary>
    public const int Id = 64;

    /// <summary>A detection's id: its device's id, '-' and the Unix milliseconds it was reported at.</summary>
    public const int DetectionId = 100;

    /// <summary>An alert's id: its rule, its subject (up to two asset ids) and the episode's start.</summary>
    public const int AlertId = 200;

    /// <summary>Names: an asset's, a user's display name, a project's, a hazard area's, a reporter's.</summary>
    public const int Name = 200;

    /// <summary>Short text: places (village to province), a find's model, who a step was done for (<c>by</c>), a hazard area's unit, priority and project.</summary>
    public const int Short = 100;

    /// <summary>Notes: on an alert, a detection, a land-release step, a resolved request; a cancellation's reason.</summary>
    public const int Note = 1000;

    /// <summary>A request's description of what was found.</summary>
    public const int Description = 2000;

    /// <summary>A reference to a photo (a link or a file name).</summary>
    public const int Link = 500;

    /// <summary>A reporter's phone number.</summary>
    public const int Phone = 40;

    /// <summary>A device's secret (its MQTT password).</summary>
    public const int Secret = 256;

    /// <summary>Free text in a query's filter: the audit trail's user and target, a province.</summary>
    public const int QueryText = 200;

    /// <summary>Members of one list: capabilities, roles, a project's units.</summary>
    public const int ListItems = 64;

    /// <summary>Vertices of one geometry (a hazard area's polygon or multipolygon, all rings together).</summary>
    public const int Vertices = 10_000;

    /// <summary>Nesting of a REST body (a GeoJSON MultiPolygon needs 6).</summary>
    public const int JsonDepth = 32;

    /// <summary>Nesting of an MQTT payload: devices send flat objects.</summary>
    public const int PayloadJsonDepth = 8;

    /// <summary>The answer for a text over its limit, worded the same everywhere.</summary>
    public static string AtMost(int max) => $"must be at most {max} characters";
}
