using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CmacLive.Api.Audit;

public static class AuditEndpointExtensions
{
    /// <summary>
    /// Records this route's successful calls in the audit trail as <paramref name="action"/> on <paramref name="target"/>
    /// (<c>kind:{routeValue}</c>), with the body members named in <paramref name="kept"/> (nothing else of the body).
    /// </summary>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder builder, string action, string target, params string[] kept) =>
        builder.AddEndpointFilter(new AuditFilter(action, target, kept));
}
