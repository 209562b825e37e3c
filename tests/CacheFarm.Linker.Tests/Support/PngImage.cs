using System.Buffers.Binary;
using System.IO.Compression;

namespace CacheFarm.Linker.Tests.Support;

/// <summary>A decoded 8-bit RGB or RGBA PNG (what Chromium's screenshots are): chunks, zlib, and the five scanline filters.</summary>
public sealed class PngImage
{
    private readonly byte[] _pixels;
    private readonly int _channels;

    private PngImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        _channels = channels;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = (y * Width + x) * _channels;
            return (_pixels[i], _pixels[i + 1], _pixels[i + 2]);
        }
    }

    /// <summary>Pixels of exactly this colour (e.g. "#2ca02c").</summary>
    public int Count(string hexColor)
    {
        var r = Convert.ToByte(hexColor[1..3], 16);
        var g = Convert.ToByte(hexColor[3..5], 16);
        var b = Convert.ToByte(hexColor[5..7], 16);
        var count = 0;
        for (var i = 0; i + 2 < _pixels.Length; i += _channels)
        {
            if (_pixels[i] == r && _pixels[i + 1] == g && _pixels[i + 2] == b)
            {
                count++;
            }
        }
        return count;
    }

    public static PngImage Load(string path)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length < 8 || !data.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }))
        {
            throw new InvalidDataException(path + " is not a PNG");
        }
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var offset = 8; offset + 8 <= data.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(data, offset + 4, 4);
            var body = data.AsSpan(offset + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                    var (depth, colorType, interlace) = (body[8], body[9], body[12]);
                    if (depth != 8 || interlace != 0 || colorType is not (2 or 6))
                    {
                        throw new NotSupportedException($"PNG with bit depth {depth}, colour type {colorType}, interlace {interlace}");
                    }
                    channels = colorType == 6 ? 4 : 3;
                    break;
                case "IDAT":
                    compressed.Write(body);
                    break;
            }
            offset += 12 + length;
        }
        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }
        return new PngImage(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        var stride = width * channels;
        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var source = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var above = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (var x = 0; x < stride; x++)
            {
                int left = x >= channels ? row[x - channels] : 0;
                int up = above[x];
                int upLeft = x >= channels ? above[x - channels] : 0;
                row[x] = (byte)(source[x] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
        }
        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
