#!/usr/bin/env python3
"""Converts Natural Earth's country shapes, as the npm package `world-atlas` ships them
(TopoJSON, 1:50m), into `data/world_map.csv`: one row per country with its ISO 3166-1
alpha-2 code, its name and an SVG path in an equirectangular projection.

It was run once, by hand, to make the data file the server reads; nothing downloads it at
build or run time. To run it again:

    npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    pip install pycountry
    python3 scripts/world_map.py package/countries-50m.json > data/world_map.csv

Natural Earth's shapes are in the public domain; world-atlas is under the ISC licence.
"""
import csv
import json
import sys

import pycountry

WIDTH, HEIGHT = 1000.0, 500.0
MIN_STEP = 0.8
# Shapes without an ISO numeric code in world-atlas that the registry can name.
NAMED_WITHOUT_NUMBER = {"Kosovo": "XK"}


def decode_arcs(topology):
    """TopoJSON arcs are quantised and delta-encoded: undo both."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs, ring):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point.
        points.extend(arc if not points else arc[1:])
    return unwrap(points)


def unwrap(points):
    """A ring that crosses the antimeridian (Chukotka, the Aleutians, Fiji) jumps from 180
    to -180 degrees: carry on past 180 instead, so the ring stays whole and the part beyond
    the map's edge is cut off by the picture's frame, not drawn as a line across the world."""
    out = []
    for lon, lat in points:
        if out:
            while lon - out[-1][0] > 180:
                lon -= 360
            while out[-1][0] - lon > 180:
                lon += 360
        out.append((lon, lat))
    return out


def project(lon, lat):
    return (round((lon + 180.0) / 360.0 * WIDTH, 1), round((90.0 - lat) / 180.0 * HEIGHT, 1))


def ring_path(points):
    """A closed path in relative steps, dropping points closer than MIN_STEP to the last
    one kept: at the map's size they are invisible and would treble the file."""
    out = []
    for lon, lat in points:
        p = project(lon, lat)
        if not out or abs(p[0] - out[-1][0]) + abs(p[1] - out[-1][1]) >= MIN_STEP:
            out.append(p)
    if len(out) < 3:
        return ""
    first, steps = out[0], []
    for (x0, y0), (x1, y1) in zip(out, out[1:]):
        steps.append(f"{round(x1 - x0, 1):g},{round(y1 - y0, 1):g}")
    return f"M{first[0]:g},{first[1]:g}l" + " ".join(steps) + "z"


def alpha2(geometry):
    name = geometry["properties"]["name"]
    if "id" not in geometry:
        return NAMED_WITHOUT_NUMBER.get(name, "")
    country = pycountry.countries.get(numeric=geometry["id"])
    return country.alpha_2 if country else ""


def main(path):
    topology = json.load(open(path))
    arcs = decode_arcs(topology)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "name", "path"])
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry["type"]
        polygons = geometry["arcs"] if kind == "MultiPolygon" else [geometry["arcs"]]
        path = "".join(ring_path(ring_points(arcs, ring)) for polygon in polygons for ring in polygon)
        if path:
            writer.writerow([alpha2(geometry), geometry["properties"]["name"], path])


if __name__ == "__main__":
    main(sys.argv[1])
