using System.Text.Json.Nodes;

namespace Mlrb.Eval.Serving;

/// <summary>A request the server refuses, with the HTTP status and OpenAI's error fields (<c>message</c>, <c>type</c>, <c>param</c>, <c>code</c>).</summary>
internal sealed class ApiException(int status, string message, string? param = null, string? code = null, string? type = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? Param { get; } = param;

    public string? Code { get; } = code;

    public string Type { get; } = type ?? status switch
    {
        401 => "authentication_error",
        404 => "not_found_error",
        413 or 400 or 422 => "invalid_request_error",
        429 => "rate_limit_error",
        _ => status >= 500 ? "server_error" : "invalid_request_error",
    };

    public static ApiException BadRequest(string message, string? param = null, string? code = null) => new(400, message, param, code, "invalid_request_error");

    /// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
    public static JsonObject Body(string message, string type, string? param, string? code) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["param"] = param,
            ["code"] = code,
        },
    };

    public JsonObject Body() => Body(Message, Type, Param, Code);
}
