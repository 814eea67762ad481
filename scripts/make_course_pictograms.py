#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Draws the demo courses' pictograms (assets/demo/pack/muktopaath/courses/*/images/*.png).

Plain shapes on a transparent square, drawn 3x larger and averaged down for smooth edges,
written as 8-bit RGBA PNG with zlib alone (no third-party package). Run it again after a
change and commit the PNGs: `python3 scripts/make_course_pictograms.py`.
"""
import math
import os
import struct
import sys
import zlib

SIZE = 160  # pixels, each side
SCALE = 3   # supersampling

INK = (33, 56, 99)        # dark blue
PAPER = (236, 242, 250)   # light blue-grey
ACCENT = (0, 135, 90)     # green
WARM = (214, 69, 65)      # red
SUN = (240, 170, 30)      # amber


class Canvas:
    def __init__(self):
        n = SIZE * SCALE
        self.n = n
        self.px = [None] * (n * n)  # colour or None (transparent)

    def fill(self, inside, colour):
        """Paints every pixel whose centre (in 0..1 units) `inside` accepts."""
        n = self.n
        for y in range(n):
            fy = (y + 0.5) / n
            for x in range(n):
                if inside((x + 0.5) / n, fy):
                    self.px[y * n + x] = colour

    def png(self):
        n, s = self.n, SCALE
        rows = []
        for y in range(SIZE):
            row = bytearray([0])  # filter: none
            for x in range(SIZE):
                r = g = b = a = 0
                for dy in range(s):
                    for dx in range(s):
                        c = self.px[(y * s + dy) * n + x * s + dx]
                        if c is not None:
                            r += c[0]; g += c[1]; b += c[2]; a += 1
                if a:
                    row += bytes((r // a, g // a, b // a, 255 * a // (s * s)))
                else:
                    row += b"\0\0\0\0"
            rows.append(bytes(row))

        def chunk(kind, data):
            return (struct.pack(">I", len(data)) + kind + data +
                    struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

        header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
                chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


# Shapes, in units of the picture (0..1), as point tests.
def rrect(x0, y0, x1, y1, r):
    def inside(x, y):
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return False
        cx = min(max(x, x0 + r), x1 - r)
        cy = min(max(y, y0 + r), y1 - r)
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    return inside


def circle(cx, cy, r):
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def ring(cx, cy, r, w):
    return lambda x, y: (r - w) ** 2 <= (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def segment(ax, ay, bx, by, w):
    def inside(x, y):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (w / 2) ** 2
    return inside


def polyline(points, w):
    parts = [segment(*points[i], *points[i + 1], w) for i in range(len(points) - 1)]
    return lambda x, y: any(p(x, y) for p in parts)


def polygon(points):
    def inside(x, y):
        hit = False
        for i in range(len(points)):
            (ax, ay), (bx, by) = points[i], points[i - 1]
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                hit = not hit
        return hit
    return inside


def phone(c):
    c.fill(rrect(0.30, 0.08, 0.70, 0.92, 0.07), INK)
    c.fill(rrect(0.34, 0.16, 0.66, 0.78, 0.02), PAPER)
    c.fill(circle(0.50, 0.85, 0.035), PAPER)
    for i, colour in enumerate((ACCENT, SUN, WARM, ACCENT)):  # app tiles
        c.fill(rrect(0.38 + (i % 2) * 0.14, 0.22 + (i // 2) * 0.14,
                     0.48 + (i % 2) * 0.14, 0.32 + (i // 2) * 0.14, 0.02), colour)


def lock(c):
    c.fill(ring(0.50, 0.38, 0.20, 0.07), INK)
    c.fill(lambda x, y: 0.38 < y < 0.50 and (0.30 <= x <= 0.37 or 0.63 <= x <= 0.70), INK)
    c.fill(rrect(0.22, 0.45, 0.78, 0.90, 0.06), SUN)
    c.fill(circle(0.50, 0.62, 0.06), INK)
    c.fill(rrect(0.47, 0.62, 0.53, 0.78, 0.02), INK)


def laptop(c):
    c.fill(rrect(0.18, 0.18, 0.82, 0.66, 0.04), INK)
    c.fill(rrect(0.22, 0.22, 0.78, 0.62, 0.01), PAPER)
    c.fill(polygon([(0.08, 0.70), (0.92, 0.70), (0.86, 0.80), (0.14, 0.80)]), INK)
    c.fill(polyline([(0.32, 0.44), (0.44, 0.54), (0.66, 0.32)], 0.05), ACCENT)


def contract(c):
    c.fill(rrect(0.22, 0.08, 0.78, 0.92, 0.04), PAPER)
    c.fill(lambda x, y: rrect(0.22, 0.08, 0.78, 0.92, 0.04)(x, y) and
           not rrect(0.25, 0.11, 0.75, 0.89, 0.03)(x, y), INK)
    for i in range(4):
        c.fill(rrect(0.32, 0.22 + i * 0.10, 0.68 - (i % 2) * 0.12, 0.26 + i * 0.10, 0.01), INK)
    c.fill(circle(0.62, 0.74, 0.11), ACCENT)
    c.fill(polyline([(0.56, 0.74), (0.61, 0.79), (0.69, 0.69)], 0.035), PAPER)


def heart(c):
    c.fill(lambda x, y: ((x - 0.5) / 0.36) ** 2 + ((0.55 - y) / 0.36 -
                         math.sqrt(abs((x - 0.5) / 0.36))) ** 2 <= 1.0, WARM)
    c.fill(polyline([(0.20, 0.52), (0.38, 0.52), (0.45, 0.40), (0.53, 0.66), (0.60, 0.48),
                     (0.80, 0.48)], 0.04), PAPER)


def water(c):
    blue = (40, 120, 200)
    c.fill(lambda x, y: (circle(0.50, 0.62, 0.26)(x, y) or
                         polygon([(0.50, 0.08), (0.265, 0.57), (0.735, 0.57)])(x, y)), blue)
    c.fill(polyline([(0.36, 0.60), (0.37, 0.68), (0.42, 0.75)], 0.045), PAPER)  # a shine


def idcard(c):
    c.fill(rrect(0.08, 0.22, 0.92, 0.78, 0.05), INK)
    c.fill(rrect(0.11, 0.25, 0.89, 0.75, 0.04), PAPER)
    c.fill(circle(0.30, 0.43, 0.08), INK)
    c.fill(lambda x, y: circle(0.30, 0.66, 0.14)(x, y) and y < 0.70, INK)
    for i in range(3):
        c.fill(rrect(0.48, 0.36 + i * 0.11, 0.82 - i * 0.08, 0.41 + i * 0.11, 0.02), INK)
    c.fill(rrect(0.08, 0.22, 0.92, 0.30, 0.05), ACCENT)


DRAWINGS = {"phone": phone, "lock": lock, "laptop": laptop, "contract": contract,
            "heart": heart, "water": water, "idcard": idcard}

# Which course folder gets which pictograms.
COURSES = {
    "digital-literacy-bn": ["phone", "lock"],
    "digital-literacy-en": ["phone", "lock"],
    "freelancing-basics-bn": ["laptop", "contract"],
    "freelancing-basics-en": ["laptop", "contract"],
    "health-awareness-bn": ["heart", "water"],
    "e-services-uz": ["idcard", "lock"],
}


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "demo",
                        "pack", "muktopaath", "courses")
    made = {}
    for name, draw in DRAWINGS.items():
        canvas = Canvas()
        draw(canvas)
        made[name] = canvas.png()
    for course, names in COURSES.items():
        folder = os.path.join(root, course, "images")
        os.makedirs(folder, exist_ok=True)
        for name in names:
            data = made[name]
            if len(data) > 30 * 1024:
                sys.exit(f"{name}.png is {len(data)} bytes; keep pictograms under 30 KB")
            with open(os.path.join(folder, name + ".png"), "wb") as out:
                out.write(data)
            print(f"{course}/images/{name}.png {len(data)} bytes")


if __name__ == "__main__":
    main()
