using System.Security.Cryptography;

namespace Handoff.Server.Audit;

/// <summary>
/// The ECDSA P-256 key that signs audit checkpoints, kept as a PKCS#8 PEM file outside the database (by default
/// <c>audit-signing.pem</c> in the data folder). Someone who can change the database but cannot read this file cannot
/// sign a checkpoint; keep a copy of its public half (or of the file) off the database host to verify against.
/// </summary>
internal static class AuditSigningKey
{
    /// <summary>The key file's name in the data folder when no other path is given.</summary>
    public const string DefaultFileName = "audit-signing.pem";

    /// <summary>
    /// Reads the private key at <paramref name="path"/>, creating it first (owner read/write only) when there is none.
    /// Two processes creating it at once end up with the same key: the loser of <see cref="FileMode.CreateNew"/> reads it.
    /// </summary>
    public static ECDsa LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var writer = new StreamWriter(path, options);
                writer.Write(key.ExportPkcs8PrivateKeyPem());
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first; use theirs.
            }
        }

        return Load(path);
    }

    /// <summary>
    /// Reads a key from a PEM file: the private key file itself, or just its public key
    /// (<c>openssl ec -in audit-signing.pem -pubout</c>), which is all a verifier needs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is missing or holds no EC key.</exception>
    public static ECDsa Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No audit signing key at '{path}'.");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"'{path}' holds no EC key in PEM form: {e.Message}", e);
        }
    }
}
