namespace Handoff.Core.Policy;

/// <summary>What a field resolved to. JSON null counts as <see cref="Missing"/>.</summary>
internal enum FieldKind
{
    Missing,
    String,
    Number,
    Bool,
    Array,
    Object,
}
