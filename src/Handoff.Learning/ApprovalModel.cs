using System.Globalization;
using System.Text;
using Handoff.Core.Learning;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Handoff.Learning;

/// <summary>
/// A workspace's model of its people: the probability that a person approves a proposal unchanged, from the case's
/// text, the proposed action, the intent, the rules that held it back, the kind and the agent's confidence. ML.NET:
/// text and rule n-grams and one-hot categories into a logistic regression (SDCA), whose output is a probability.
/// Training is seeded: the same decisions give the same model. Thread safe: predictions take turns on one engine.
/// </summary>
public sealed class ApprovalModel
{
    /// <summary>What a saved model starts with; anything else is refused as foreign.</summary>
    internal static readonly byte[] Header = Encoding.ASCII.GetBytes("HANDOFF-APPROVAL-MODEL/1\n");

    private readonly MLContext? _ml;
    private readonly ITransformer? _model;
    private readonly DataViewSchema? _schema;
    private readonly PredictionEngine<Row, Prediction>? _engine;
    private readonly float? _constant;
    private readonly Lock _gate = new();

    private ApprovalModel(MLContext ml, ITransformer model, DataViewSchema schema, int trainedOn)
    {
        _ml = ml;
        _model = model;
        _schema = schema;
        TrainedOn = trainedOn;
        _engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
    }

    // People gave one verdict to everything: there is nothing to tell apart, and the share approved is the prediction.
    private ApprovalModel(float constant, int trainedOn)
    {
        _constant = constant;
        TrainedOn = trainedOn;
    }

    /// <summary>Whether the people's verdicts were all the same, so the model predicts the same for every case.</summary>
    public bool IsConstant => _constant is not null;

    /// <summary>How many decisions the model was trained on.</summary>
    public int TrainedOn { get; }

    /// <summary>
    /// Trains on people's decisions (label: approved unchanged). When every verdict was the same, the model predicts that
    /// verdict's share (1 or 0) for every case (<see cref="IsConstant"/>): calibration still decides whether it may act.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 10 decisions.</exception>
    public static ApprovalModel Train(IReadOnlyList<DecisionRecord> decisions, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var approved = decisions.Count(static d => d.ApprovedUnchanged);
        if (decisions.Count < 10)
        {
            throw new ArgumentException($"Training needs at least 10 decisions; there are {decisions.Count}.", nameof(decisions));
        }

        if (approved == 0 || approved == decisions.Count)
        {
            return new ApprovalModel(approved == 0 ? 0f : 1f, decisions.Count);
        }

        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(decisions.Select(static d => Row.Of(CaseFeatures.Of(d), d.ApprovedUnchanged)));
        var pipeline = ml.Transforms.Text.FeaturizeText("TextFeatures", nameof(Row.Text))
            .Append(ml.Transforms.Text.FeaturizeText("RuleFeatures", nameof(Row.Rules)))
            .Append(ml.Transforms.Categorical.OneHotEncoding([
                new InputOutputColumnPair("ActionFeatures", nameof(Row.Action)),
                new InputOutputColumnPair("IntentFeatures", nameof(Row.Intent)),
                new InputOutputColumnPair("KindFeatures", nameof(Row.Kind)),
                new InputOutputColumnPair("BandFeatures", nameof(Row.Band)),
                new InputOutputColumnPair("IntentBandFeatures", nameof(Row.IntentBand)),
            ]))
            .Append(ml.Transforms.Concatenate(
                "Features", "TextFeatures", "RuleFeatures", "ActionFeatures", "IntentFeatures", "KindFeatures", "BandFeatures", "IntentBandFeatures",
                nameof(Row.Confidence), nameof(Row.NoConfidence)))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(labelColumnName: nameof(Row.Label), featureColumnName: "Features"));
        return new ApprovalModel(ml, pipeline.Fit(data), data.Schema, decisions.Count);
    }

    /// <summary>
    /// The probability that a person approves this case's proposal unchanged: the logistic of the model's raw margin,
    /// computed in double precision. ML.NET's own single-precision probability rounds every margin above about 17 to
    /// exactly 1, which ties hundreds of confident cases together and leaves the gate no threshold between them.
    /// </summary>
    public double Score(CaseFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (_constant is { } constant)
        {
            return constant;
        }

        lock (_gate)
        {
            var margin = (double)_engine!.Predict(Row.Of(features, false)).Score;
            return 1 / (1 + Math.Exp(-margin));
        }
    }

    /// <summary>Writes the model: <see cref="Header"/>, how many decisions it was trained on, then ML.NET's own format.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Header);
        stream.Write(Encoding.ASCII.GetBytes(TrainedOn.ToString(CultureInfo.InvariantCulture) + "\n"));
        if (_constant is { } constant)
        {
            // A constant model is its one byte: 1 when everything was approved, 0 when nothing was.
            stream.WriteByte(constant > 0 ? (byte)'1' : (byte)'0');
            return;
        }

        _ml!.Model.Save(_model!, _schema!, stream);
    }

    /// <summary>Reads a model <see cref="Save"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The stream is not a Handoff approval model, or is damaged.</exception>
    public static ApprovalModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[Header.Length];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length || !header.AsSpan().SequenceEqual(Header))
        {
            throw new InvalidDataException("Not a Handoff approval model (its header is missing).");
        }

        var count = new StringBuilder();
        for (int b; (b = stream.ReadByte()) != '\n';)
        {
            if (b is < '0' or > '9' || count.Length > 9)
            {
                throw new InvalidDataException("A damaged Handoff approval model (its decision count is not a number).");
            }

            count.Append((char)b);
        }

        var trainedOn = int.Parse(count.ToString(), CultureInfo.InvariantCulture);
        var first = stream.ReadByte();
        if (first is '0' or '1' && stream.ReadByte() == -1)
        {
            return new ApprovalModel(first == '1' ? 1f : 0f, trainedOn);
        }

        if (first == -1)
        {
            throw new InvalidDataException("A damaged Handoff approval model (nothing after its header).");
        }

        stream.Seek(-1, SeekOrigin.Current);
        try
        {
            var ml = new MLContext(1);
            var model = ml.Model.Load(stream, out var schema);
            return new ApprovalModel(ml, model, schema, trainedOn);
        }
#pragma warning disable CA1031 // Whatever ML.NET makes of a damaged file, it is one answer: the file is damaged.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            throw new InvalidDataException($"A damaged Handoff approval model: {e.Message}", e);
        }
    }

    /// <summary>A row as ML.NET reads it: missing categories as empty, a missing confidence as 0 with its own flag.</summary>
    internal sealed class Row
    {
        public string Text { get; set; } = "";
        public string Rules { get; set; } = "";
        public string Action { get; set; } = "";
        public string Intent { get; set; } = "";
        public string Kind { get; set; } = "";
        public float Confidence { get; set; }
        public float NoConfidence { get; set; }

        // How wrong an agent is does not fall in a straight line with its confidence, and differs by intent: the
        // confidence in bands of 0.05, and each intent with a coarse band, let the linear model bend.
        public string Band { get; set; } = "";
        public string IntentBand { get; set; } = "";
        public bool Label { get; set; }

        public static Row Of(CaseFeatures f, bool label) => new()
        {
            Text = f.Text,
            // Rule ids as words ("high-value" stays one token under the text featurizer's separators? it splits on
            // punctuation; the pair of n-grams keeps them apart from other rules either way).
            Rules = string.Join(' ', f.Rules),
            Action = f.Action ?? "",
            Intent = f.Intent ?? "",
            Kind = f.Kind.ToString(),
            Confidence = f.Confidence is { } c && !double.IsNaN(c) ? (float)c : 0,
            NoConfidence = f.Confidence is null || double.IsNaN(f.Confidence.Value) ? 1 : 0,
            Band = f.Confidence is { } b && !double.IsNaN(b) ? Math.Floor(Math.Clamp(b, 0, 1) * 20).ToString(CultureInfo.InvariantCulture) : "none",
            IntentBand = (f.Intent ?? "") + ":" + (f.Confidence is { } ib && !double.IsNaN(ib) ? ib switch { >= 0.95 => "a", >= 0.85 => "b", >= 0.7 => "c", _ => "d" } : "none"),
            Label = label,
        };
    }

    internal sealed class Prediction
    {
        public float Score { get; set; }
    }
}
