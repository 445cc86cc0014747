"""Checks a screenshot shows the timeline: a PNG of the expected size in which the busy colour
(#2a9d8f, and its lighter shade #57bfb1) covers a real share of the pixels. Standard library only.
Usage: png_check.py SHOT.png MIN_WIDTH MIN_HEIGHT"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit(f"{path}: unexpected PNG format (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upleft = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else upleft)) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows


def main():
    path, min_width, min_height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    width, height, channels, rows = read_png(path)
    if width < min_width or height < min_height:
        sys.exit(f"{path}: {width}x{height}, expected at least {min_width}x{min_height}")
    busy = {(0x2A, 0x9D, 0x8F), (0x57, 0xBF, 0xB1)}
    count = 0
    for line in rows:
        for x in range(0, width * channels, channels):
            if tuple(line[x:x + 3]) in busy:
                count += 1
    share = count / (width * height)
    print(f"{path}: {width}x{height}, busy-coloured pixels {share:.1%}")
    if share < 0.05:
        sys.exit(f"{path}: the timeline's busy slices are not in the picture")


main()
