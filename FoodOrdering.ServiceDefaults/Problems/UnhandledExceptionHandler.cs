using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Problems;

/// <summary>
/// Answers an exception nothing else handled with a 500 problem that says nothing about it but its trace id, and
/// logs it under that trace id, its text masked like every log line.
/// </summary>
public sealed partial class UnhandledExceptionHandler(IProblemDetailsService problems, ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        LogUnhandled(logger, exception.GetType().FullName, context.Request.Method, context.Request.Path, traceId, Pii.MaskEmailsIn(exception.Message), exception.StackTrace);
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong on our side.",
                Detail = $"The error is logged under trace id {traceId}.",
            },
        });
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Error,
        Message = "Unhandled {ExceptionType} answering {Method} {Path} (trace {TraceId}): {ExceptionMessage}\n{StackTrace}")]
    private static partial void LogUnhandled(ILogger logger, string? exceptionType, string method, string path, string traceId, string exceptionMessage, string? stackTrace);
}
