using System.Data.Common;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Core.Learning;

namespace Handoff.Storage.Relational;

/// <summary>
/// The decision ledger's rows (table <c>decisions</c>): written in the transaction of the change that gave a case a
/// person's decision, and, when the table is created, filled from the cases decided before it existed.
/// </summary>
internal static class DecisionLedger
{
    public const string Columns = "seq, case_id, created_at, decided_at, kind, action, intent, rules, confidence, verdict, decided_by, text, sample";

    private const string InsertSql = """
        INSERT INTO decisions (case_id, workspace_id, created_at, decided_at, kind, action, intent, rules, confidence, verdict, decided_by, text, sample)
        VALUES (@case, @ws, @created, @decided, @kind, @action, @intent, @rules, @confidence, @verdict, @by, @text, @sample)
        ON CONFLICT (case_id) DO NOTHING
        """;

    /// <summary>
    /// The ledger's row for <paramref name="decided"/>'s decision when it is a person's (see <see cref="DecisionRecord.Of"/>;
    /// once per case), as a command bound and not yet run — from <c>BatchWriter.Later</c>, which runs it, or run by the
    /// caller; null when there is none.
    /// </summary>
    public static DbCommand? Insert(Func<string, DbCommand> command, HandoffCase decided)
    {
        if (DecisionRecord.Of(decided) is not { } record)
        {
            return null;
        }

        return command(InsertSql)
            .Bind("@case", record.CaseId).Bind("@ws", decided.WorkspaceId).Bind("@created", DbValues.Time(record.CreatedAt))
            .Bind("@decided", DbValues.Time(record.DecidedAt)).Bind("@kind", DbValues.Name(record.Kind)).Bind("@action", record.Action)
            .Bind("@intent", record.Intent).Bind("@rules", JsonSerializer.Serialize(record.Rules, HandoffJson.Options))
            .Bind("@confidence", record.Confidence).Bind("@verdict", DbValues.Name(record.Verdict)).Bind("@by", record.DecidedBy)
            .Bind("@text", record.Text).Bind("@sample", record.Sample ? 1 : 0);
    }

    /// <summary>
    /// Fills the ledger from the cases already decided: the migration that creates the table runs it in its own
    /// transaction, so an existing database's history counts from the start. Reads the cases a page at a time (a
    /// PostgreSQL connection runs one command at a time).
    /// </summary>
    public static void Backfill(DbConnection connection, DbTransaction transaction)
    {
        DbCommand Command(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        for (long after = 0; ;)
        {
            var page = new List<HandoffCase>(1000);
            var last = after;
            using (var read = Command("SELECT seq, document FROM cases WHERE seq > @after ORDER BY seq LIMIT 1000").Bind("@after", after))
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    last = reader.GetInt64(0);
                    // A document this version cannot read is left out of the ledger rather than stopping the migration
                    // (and with it the server's start); the case itself stays as it was.
                    try
                    {
                        page.Add(CaseDocument.Deserialize(reader.GetString(1)));
                    }
                    catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
                    {
                    }
                }
            }

            if (last == after)
            {
                return;
            }

            using (var insert = Command(""))
            {
                foreach (var c in page)
                {
                    Insert(
                        sql =>
                        {
                            insert.CommandText = sql;
                            insert.Parameters.Clear();
                            return insert;
                        },
                        c)?.ExecuteNonQuery();
                }
            }

            after = last;
        }
    }

    public static DecisionRecord Read(DbDataReader reader) => new(
        reader.GetString(1),
        DbValues.ParseTime(reader.GetString(2)),
        DbValues.ParseTime(reader.GetString(3)),
        DbValues.ParseName<CaseKind>(reader.GetString(4)),
        DbValues.ReadString(reader, 5),
        DbValues.ReadString(reader, 6),
        JsonSerializer.Deserialize<string[]>(reader.GetString(7), HandoffJson.Options) ?? [],
        reader.IsDBNull(8) ? null : reader.GetDouble(8),
        DbValues.ParseName<Verdict>(reader.GetString(9)),
        DbValues.ReadString(reader, 10),
        reader.GetString(11)) { Sample = Convert.ToInt64(reader.GetValue(12), System.Globalization.CultureInfo.InvariantCulture) != 0 };
}
