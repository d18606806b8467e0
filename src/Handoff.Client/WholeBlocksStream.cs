namespace Handoff.Client;

/// <summary>
/// An event stream's body handed on only in whole blocks (up to and including the empty line that ends one). The
/// standard lets an <c>id:</c> take effect only when its block ends, but <see cref="System.Net.ServerSentEvents.SseParser{T}"/>
/// sets <c>LastEventId</c> as soon as it reads the line: over this stream a connection cut inside a block leaves the
/// parser at the last whole block's id, so a reconnect asks again for the event that was cut off.
/// </summary>
internal sealed class WholeBlocksStream(Stream inner) : Stream
{
    private byte[] _buffer = new byte[8192];
    private int _start;   // the first byte not handed on yet
    private int _whole;   // the end of the last whole block in the buffer
    private int _end;     // the end of what was read
    private bool _atLineStart = true;
    private bool _afterCr;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_start == _whole)
        {
            if (_end == _buffer.Length)
            {
                Compact();
            }

            var read = await inner.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return 0;   // the end: an unfinished block is dropped, as the standard drops it
            }

            var scanFrom = _end;
            _end += read;
            _whole = LastBlockEnd(scanFrom);
        }

        var count = Math.Min(buffer.Length, _whole - _start);
        _buffer.AsMemory(_start, count).CopyTo(buffer);
        _start += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the new bytes through (the state carries over between reads) and answers where the last empty line among
    /// them ends, or the previous whole end when they complete none. Line breaks are LF, CR or CRLF.
    /// </summary>
    private int LastBlockEnd(int scanFrom)
    {
        var whole = _whole;
        for (var i = scanFrom; i < _end; i++)
        {
            var b = _buffer[i];
            if (_afterCr)
            {
                _afterCr = false;
                if (b == '\n')
                {
                    if (whole == i)
                    {
                        whole = i + 1;   // the LF of an empty line's CRLF belongs to the block it ends
                    }

                    continue;   // the LF of a CRLF, counted with its CR
                }
            }

            if (b is (byte)'\n' or (byte)'\r')
            {
                if (_atLineStart)
                {
                    whole = i + 1;   // an empty line: a block ends here
                }

                _atLineStart = true;
                _afterCr = b == '\r';
            }
            else
            {
                _atLineStart = false;
            }
        }

        return whole;
    }

    private void Compact()
    {
        var pending = _end - _start;
        if (_start == 0)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);   // one block larger than the buffer
            return;
        }

        Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        _whole -= _start;
        _end = pending;
        _start = 0;
    }
}
