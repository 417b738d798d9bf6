using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mlrb.Cli.Viewer.Hosting;

/// <summary>
/// The viewer's front door: only GET and HEAD; on a loopback listener only loopback Host names (no DNS rebinding);
/// with a token, every request must carry it (query <c>token</c>, which also sets a same-site cookie, a bearer header, or
/// the cookie); every response gets a strict Content-Security-Policy with a fresh nonce and no caching.
/// </summary>
internal sealed class AccessGuard
{
    /// <summary>The key under which the request's CSP nonce is kept in <see cref="HttpContext.Items"/>.</summary>
    public const string NonceKey = "mlrb.nonce";

    private const string CookieName = "mlrb_view_token";
    private readonly byte[]? _token;
    private readonly bool _loopback;

    /// <summary>Creates the guard.</summary>
    public AccessGuard(string? token, bool loopback)
    {
        _token = token is null ? null : Encoding.UTF8.GetBytes(token);
        _loopback = loopback;
    }

    /// <summary>Whether an address text means the loopback interface.</summary>
    public static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var response = context.Response;
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        context.Items[NonceKey] = nonce;
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            await response.WriteAsync("mlrb view is read-only: only GET and HEAD are served.\n").ConfigureAwait(false);
            return;
        }

        if (_loopback && !IsLoopback(request.Host.Host))
        {
            response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            await response.WriteAsync("This viewer listens on loopback and answers only to localhost, 127.0.0.1 or [::1].\n").ConfigureAwait(false);
            return;
        }

        if (_token is not null)
        {
            var fromQuery = request.Query["token"].ToString();
            var header = request.Headers.Authorization.ToString();
            var presented = fromQuery.Length > 0 ? fromQuery
                : header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..]
                : request.Cookies[CookieName] ?? "";
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token))
            {
                response.StatusCode = StatusCodes.Status401Unauthorized;
                await response.WriteAsync("A valid token is required: open the URL mlrb view printed (it ends in ?token=...).\n").ConfigureAwait(false);
                return;
            }

            if (fromQuery.Length > 0)
            {
                response.Cookies.Append(CookieName, fromQuery, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            }
        }

        await next(context).ConfigureAwait(false);
    }
}
