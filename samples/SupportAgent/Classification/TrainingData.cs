using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Handoff.Samples.SupportAgent.Classification;

/// <summary>
/// What the classifier learns from: the conversations this sample ships (<c>Data/conversations.tsv</c>, written for
/// it), or the Bitext customer-support data set where a checkout has it beside it (<c>../shared/datasets/bitext</c>).
/// Bitext is read in place and never copied: its licence (CDLA-Sharing-1.0) travels with the data, not with us.
/// </summary>
internal static class TrainingData
{
    public const string BitextFileName = "Bitext_Sample_Customer_Support_Training_Dataset.csv";

    /// <summary>The shipped conversations: 14 messages for each of the 27 intents.</summary>
    public static IReadOnlyList<LabeledText> Shipped()
    {
        using var reader = new StreamReader(Resource("conversations.tsv"));
        var rows = new List<LabeledText>();
        reader.ReadLine(); // the header: intent, text
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line.Split('\t', 2) is [var intent, var text])
            {
                rows.Add(LabeledText.Of(intent, text));
            }
        }

        return rows;
    }

    /// <summary>
    /// The Bitext file's <c>instruction</c> and <c>intent</c> columns. Its responses hold line breaks inside quotes,
    /// so the loader reads quoted fields across lines.
    /// </summary>
    public static IReadOnlyList<LabeledText> Bitext(MLContext ml, string path)
    {
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [','],
            HasHeader = true,
            AllowQuoting = true,
            ReadMultilines = true,
            Columns =
            [
                new TextLoader.Column(nameof(LabeledText.Text), DataKind.String, 2),
                new TextLoader.Column(nameof(LabeledText.Intent), DataKind.String, 3),
            ],
        });
        return ml.Data.CreateEnumerable<LabeledText>(loader.Load(path), reuseRowObject: false)
            .Where(row => Intents.IsKnown(row.Intent))
            .ToList();
    }

    /// <summary>
    /// The Bitext file, if there is one: <c>HANDOFF_BITEXT</c> when set (the file or its folder), else <c>shared/datasets/bitext</c> in the
    /// current folder or any folder above it (a clone beside <c>shared/</c> finds it as <c>../shared/…</c>).
    /// </summary>
    public static string? FindBitext(string? start = null)
    {
        if (Environment.GetEnvironmentVariable("HANDOFF_BITEXT") is { Length: > 0 } configured)
        {
            // The file, or the folder that holds it.
            var file = Directory.Exists(configured) ? Path.Combine(configured, BitextFileName) : configured;
            return File.Exists(file) ? file : null;
        }

        for (var folder = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "datasets", "bitext", BitextFileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A data file built into the sample (<c>Data/…</c>).</summary>
    public static Stream Resource(string name) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The sample's resource {name} is missing from the build.");
}
