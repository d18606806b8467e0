using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Handoff.Server.Api.OpenApi;

/// <summary>
/// Makes each schema say what the server does, not what the C# type could hold:
/// <list type="bullet">
/// <item>A response (any type but a request body) always has the properties it never leaves out: the ones that are
/// not nullable. Nulls are left out (<c>HandoffJson</c>), so a nullable property is optional, never <c>null</c>.</item>
/// <item>A request body (a type named <c>…Request</c>, <c>…Body</c> or <c>…Patch</c>) requires only what its
/// validator requires, marked <see cref="RequiredAttribute"/>; everything else may be left out.</item>
/// <item>A string a request reads as one of some names says which (<see cref="OneOfAttribute"/>).</item>
/// </list>
/// </summary>
internal sealed class ContractSchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly NullabilityInfoContext Nullability = new();

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property)
        {

            if (Attribute<OneOfAttribute>(property) is { } oneOf)
            {
                schema.Type = JsonSchemaType.String;
                schema.Enum = [.. oneOf.Values.Select(v => (JsonNode)JsonValue.Create(v))];
            }
        }

        // A type's schema can be made where it is first met, as a property's: what it requires is its own all the same.
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
        {
            var input = IsRequestBody(context.JsonTypeInfo.Type);
            schema.Required = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in context.JsonTypeInfo.Properties)
            {
                if (schema.Properties.ContainsKey(member.Name) && (input ? Attribute<RequiredAttribute>(member) is not null : AlwaysWritten(member)))
                {
                    schema.Required.Add(member.Name);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether a type is read from requests: by the contracts' naming rule.</summary>
    internal static bool IsRequestBody(Type type) =>
        type.Name.EndsWith("Request", StringComparison.Ordinal) || type.Name.EndsWith("Body", StringComparison.Ordinal)
        || type.Name.EndsWith("Patch", StringComparison.Ordinal);

    private static bool AlwaysWritten(JsonPropertyInfo member)
    {
        var type = member.PropertyType;
        if (type == typeof(JsonElement) || type == typeof(JsonNode) || type == typeof(object) || Nullable.GetUnderlyingType(type) is not null)
        {
            return false;   // JsonElement: an absent one is written as null; Nullable<T>: left out when null
        }

        if (Attribute<JsonIgnoreAttribute>(member) is { Condition: not JsonIgnoreCondition.Never })
        {
            return false;
        }

        return type.IsValueType || member.AttributeProvider switch
        {
            PropertyInfo p => Nullability.Create(p).ReadState == NullabilityState.NotNull,
            FieldInfo f => Nullability.Create(f).ReadState == NullabilityState.NotNull,
            _ => false,
        };
    }

    /// <summary>An attribute on the property, or on the record's constructor parameter it comes from.</summary>
    private static T? Attribute<T>(JsonPropertyInfo member)
        where T : Attribute
    {
        if (member.AttributeProvider?.GetCustomAttributes(typeof(T), inherit: true).OfType<T>().FirstOrDefault() is { } onProperty)
        {
            return onProperty;
        }

        var parameter = member.DeclaringType.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .FirstOrDefault(p => string.Equals(p.Name, (member.AttributeProvider as MemberInfo)?.Name, StringComparison.Ordinal));
        return parameter?.GetCustomAttribute<T>();
    }
}
