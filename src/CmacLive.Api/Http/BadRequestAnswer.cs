using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CmacLive.Api.Http;

/// <summary>
/// A request Kestrel could not read to the end, a body over <c>Api:MaxBodyBytes</c> (413) above all, answered as
/// problem+json with its status, whether the body came with a length or chunked, and wherever it was being read.
/// </summary>
public sealed class BadRequestAnswer(ApiOptions options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        var tooLarge = bad.StatusCode == StatusCodes.Status413PayloadTooLarge;
        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = tooLarge ? "Payload too large" : "Bad request",
            Detail = tooLarge ? $"a request body may be at most {options.MaxBodyBytes} bytes" : "the request could not be read",
        };
        await httpContext.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
        return true;
    }
}
