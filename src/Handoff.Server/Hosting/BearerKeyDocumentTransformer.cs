using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Handoff.Server.Hosting;

/// <summary>Declares the Bearer API key in the OpenAPI document, so the Scalar page can send one.</summary>
internal sealed class BearerKeyDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string Scheme = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key made with `handoff keys create --role agent|reviewer|admin`.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] });
        return Task.CompletedTask;
    }
}
