using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Core.Routing;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    // The users table also has failed_sign_ins and locked_until, left from the account lock-out that per-address
    // sign-in limits replaced (see Handoff.Server's SignInLimiter); nothing reads or writes them any more.
    private const string UserColumns =
        "id, workspace_id, email, name, role, teams, password_hash, created_at, disabled_at, skills, languages, capacity, notifications";

    public async Task<int> CountUsersAsync(CancellationToken cancellationToken = default) =>
        Convert.ToInt32(await ScalarAsync("SELECT count(*) FROM users", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

    public Task<User?> AddUserAsync(NewUser user, Actor actor, CancellationToken cancellationToken = default)
    {
        CheckNewUser(user, actor);
        return _writer.RunAsync(w => EmailTaken(w, user.Email) ? null : InsertUser(w, user, actor), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The check and the insert run in one write transaction, and write transactions take turns (see <see cref="BatchWriter"/>).</remarks>
    public Task<User?> AddFirstUserAsync(NewUser user, Actor actor, CancellationToken cancellationToken = default)
    {
        CheckNewUser(user, actor);
        return _writer.RunAsync(
            w => Convert.ToBoolean(w.Command("SELECT EXISTS (SELECT 1 FROM users)").ExecuteScalar(), CultureInfo.InvariantCulture) ? null : InsertUser(w, user, actor),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Case is ignored for ASCII letters only (<c>lower</c>; PostgreSQL's under the column's "C" collation), as the unique index on emails does.</remarks>
    public async Task<User?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        return (await QueryAsync($"SELECT {UserColumns} FROM users WHERE lower(email) = @email", ReadUser, cancellationToken, ("@email", AsciiLower(email))).ConfigureAwait(false))
            .SingleOrDefault();
    }

    public async Task<User?> GetUserAsync(string workspaceId, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(userId);
        return (await QueryAsync($"SELECT {UserColumns} FROM users WHERE id = @id AND workspace_id = @ws", ReadUser, cancellationToken, ("@id", userId), ("@ws", workspaceId))
            .ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<User>> ListUsersAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        return await QueryAsync($"SELECT {UserColumns} FROM users WHERE workspace_id = @ws ORDER BY name, id", ReadUser, cancellationToken, ("@ws", workspaceId))
            .ConfigureAwait(false);
    }

    public Task<User?> UpdateUserAsync(string workspaceId, string userId, UserChanges changes, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(actor);
        if (changes.Name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(changes.Name, nameof(changes));
        }

        if (changes.PasswordHash is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(changes.PasswordHash, nameof(changes));
        }

        CheckProfile(changes.Skills, changes.Languages, changes.Capacity, nameof(changes));

        return _writer.RunAsync(w =>
        {
            if (ReadUserForUpdate(w, userId) is not { } current || current.WorkspaceId != workspaceId)
            {
                return null;
            }

            var (after, changed) = Apply(current, changes, w.Now);
            if (changed.Count == 0)
            {
                return current;
            }

            WriteUser(w, after);
            w.Append(workspaceId, actor, AuditData.UserChanged, userId, AuditData.AccountChange(changed, after));
            if (after.DisabledAt is not null && current.DisabledAt is null)
            {
                // A disabled person can no longer sign in, so they are not at work: nothing may be offered to them.
                GoOffline(w, workspaceId, userId, actor);
            }

            return after;
        }, cancellationToken);
    }

    private static void CheckNewUser(NewUser user, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(user.WorkspaceId, nameof(user));
        ArgumentException.ThrowIfNullOrWhiteSpace(user.Email, nameof(user));
        ArgumentException.ThrowIfNullOrWhiteSpace(user.Name, nameof(user));
        ArgumentException.ThrowIfNullOrWhiteSpace(user.PasswordHash, nameof(user));
        ArgumentNullException.ThrowIfNull(user.Teams, nameof(user));
        ArgumentNullException.ThrowIfNull(user.Skills, nameof(user));
        ArgumentNullException.ThrowIfNull(user.Languages, nameof(user));
        CheckProfile(user.Skills, user.Languages, user.Capacity, nameof(user));
    }

    // The API and the CLI refuse bad values with a message naming the field; this is the store's own guard, so
    // that no caller can store a profile routing would misread (an uppercase skill that matches nothing).
    private static void CheckProfile(IReadOnlyList<string>? skills, IReadOnlyList<string>? languages, int? capacity, string parameter)
    {
        if (skills is not null && !skills.All(RoutingNames.IsToken))
        {
            throw new ArgumentException("Skills are lowercase tokens.", parameter);
        }

        if (languages is not null && !languages.All(RoutingNames.IsLanguage))
        {
            throw new ArgumentException("Languages are lowercase BCP 47 tags.", parameter);
        }

        if (capacity is < 1 or > User.MaxCapacity)
        {
            throw new ArgumentOutOfRangeException(parameter, capacity, $"Capacity is 1..{User.MaxCapacity}.");
        }
    }

    private static bool EmailTaken(BatchWriter w, string email) =>
        Convert.ToBoolean(w.Command("SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = @email)").Bind("@email", AsciiLower(email)).ExecuteScalar(), CultureInfo.InvariantCulture);

    private User InsertUser(BatchWriter w, NewUser user, Actor actor)
    {
        var added = new User(NewId("usr"), user.WorkspaceId, user.Email, user.Name, user.Role, [.. user.Teams], user.PasswordHash, w.Now, null)
        {
            Skills = [.. user.Skills],
            Languages = [.. user.Languages],
            Capacity = user.Capacity,
        };
        var insert = w.Command($"""
            INSERT INTO users ({UserColumns})
            VALUES (@id, @ws, @email, @name, @role, @teams, @hash, @created, @disabled, @skills, @languages, @capacity, @notifications)
            """)
            .Bind("@id", added.Id).Bind("@ws", added.WorkspaceId).Bind("@email", added.Email).Bind("@created", DbValues.Time(added.CreatedAt));
        BindChangeable(insert, added).ExecuteNonQuery();
        w.Append(added.WorkspaceId, actor, AuditData.UserAdded, added.Id, AuditData.Account(added));
        return added;
    }

    private static void WriteUser(BatchWriter w, User user) =>
        BindChangeable(w.Command("""
            UPDATE users SET name = @name, role = @role, teams = @teams, password_hash = @hash, disabled_at = @disabled,
                skills = @skills, languages = @languages, capacity = @capacity, notifications = @notifications
            WHERE id = @id
            """).Bind("@id", user.Id), user)
            .ExecuteNonQuery();

    // Every column but the id, workspace, email and creation time, which never change.
    private static DbCommand BindChangeable(DbCommand command, User user) =>
        command.Bind("@name", user.Name).Bind("@role", DbValues.UserRole(user.Role)).Bind("@teams", JsonSerializer.Serialize(user.Teams))
            .Bind("@hash", user.PasswordHash).Bind("@disabled", DbValues.Time(user.DisabledAt))
            .Bind("@skills", JsonSerializer.Serialize(user.Skills)).Bind("@languages", JsonSerializer.Serialize(user.Languages)).Bind("@capacity", user.Capacity)
            .Bind("@notifications", user.Notifications is { } prefs ? JsonSerializer.Serialize(prefs, Core.HandoffJson.Options) : null);

    private static User? ReadUserForUpdate(BatchWriter w, string userId)
    {
        using var reader = w.Command($"SELECT {UserColumns} FROM users WHERE id = @id").Bind("@id", userId).ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    // The column side folds ASCII letters only, on both backends (SQLite's lower; PostgreSQL's under the column's "C"
    // collation), and so does the unique index; the value is folded here the same way, never by the database's
    // locale, which would fold "É" and find nobody.
    private static string AsciiLower(string email) => string.Create(email.Length, email, static (span, text) =>
    {
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = char.IsAsciiLetterUpper(text[i]) ? (char)(text[i] | 0x20) : text[i];
        }
    });

    private static User ReadUser(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        DbValues.ParseName<UserRole>(reader.GetString(4)),
        JsonSerializer.Deserialize<string[]>(reader.GetString(5)) ?? throw new InvalidDataException("A user's teams are null in the database."),
        reader.GetString(6),
        DbValues.ParseTime(reader.GetString(7)),
        DbValues.ReadTime(reader, 8))
    {
        Skills = ReadNames(reader, 9, "skills"),
        Languages = ReadNames(reader, 10, "languages"),
        Capacity = reader.GetInt32(11),
        Notifications = reader.IsDBNull(12) ? null : JsonSerializer.Deserialize<NotificationPreferences>(reader.GetString(12), Core.HandoffJson.Options),
    };

    private static string[] ReadNames(DbDataReader reader, int ordinal, string column) =>
        JsonSerializer.Deserialize<string[]>(reader.GetString(ordinal)) ?? throw new InvalidDataException($"A user's {column} are null in the database.");

    // The changed fields are named as the dashboard shows them; a new hash is "password", so the log says that the
    // password changed without holding anything derived from it.
    private static (User After, List<string> Changed) Apply(User current, UserChanges changes, DateTimeOffset now)
    {
        var after = current;
        var changed = new List<string>();
        if (changes.Name is { } name && name != current.Name)
        {
            after = after with { Name = name };
            changed.Add("name");
        }

        if (changes.Role is { } role && role != current.Role)
        {
            after = after with { Role = role };
            changed.Add("role");
        }

        if (changes.Teams is { } teams && !teams.SequenceEqual(current.Teams, StringComparer.Ordinal))
        {
            after = after with { Teams = [.. teams] };
            changed.Add("teams");
        }

        if (changes.PasswordHash is { } hash && hash != current.PasswordHash)
        {
            after = after with { PasswordHash = hash };
            changed.Add("password");
        }

        if (changes.Skills is { } skills && !skills.SequenceEqual(current.Skills, StringComparer.Ordinal))
        {
            after = after with { Skills = [.. skills] };
            changed.Add("skills");
        }

        if (changes.Languages is { } languages && !languages.SequenceEqual(current.Languages, StringComparer.Ordinal))
        {
            after = after with { Languages = [.. languages] };
            changed.Add("languages");
        }

        if (changes.Capacity is { } capacity && capacity != current.Capacity)
        {
            after = after with { Capacity = capacity };
            changed.Add("capacity");
        }

        if (changes.Notifications is { } prefs && prefs != (current.Notifications ?? NotificationPreferences.Default))
        {
            after = after with { Notifications = prefs };
            changed.Add("notifications");
        }

        if (changes.Disabled is { } disabled && disabled != (current.DisabledAt is not null))
        {
            after = after with { DisabledAt = disabled ? now : null };
            changed.Add("disabled");
        }

        return (after, changed);
    }
}
