using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.Api.Auth;

public static class AddressThrottleExtensions
{
    /// <summary>After authentication: requests without a valid credential from an address held back answer 429.</summary>
    public static IApplicationBuilder UseCmacLiveAddressThrottle(this IApplicationBuilder app)
    {
        var throttle = app.ApplicationServices.GetRequiredService<AddressThrottle>();
        return app.Use((context, next) => throttle.InvokeAsync(context, next));
    }
}
