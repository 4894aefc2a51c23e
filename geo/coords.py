"""Datums: WGS-84 (GPS, most GIS servers) and GCJ-02 (the offset datum every Chinese map app
shows: AMap, Tencent Maps; Baidu adds a further offset of its own, not accepted here).

Everything is stored in WGS-84. GCJ-02 is WGS-84 shifted by a published, deterministic
formula (the Krasovsky-ellipsoid transform every open implementation uses); outside mainland
China there is no shift. `wgs84_to_gcj02` is that formula; `gcj02_to_wgs84` inverts it by
fixed-point iteration, which converges to well under a centimetre in a few steps because the
shift changes slowly with position. Tested against published reference points
(tests/geo/test_coords.py).
"""

import math
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 transform.
A = 6378245.0
EE = 0.00669342162296594323
# Stored precision: 7 decimal places of a degree, about 1 cm.
PLACES = Decimal("0.0000001")
INVERSE_TOLERANCE = 1e-10  # degrees
INVERSE_STEPS = 30


class Datum(models.TextChoices):
    WGS84 = "wgs84", _("WGS-84 (GPS, the city's GIS)")
    GCJ02 = "gcj02", _("GCJ-02 (Chinese map apps such as AMap or Tencent Maps)")


def out_of_china(lat: float, lng: float) -> bool:
    """The transform applies only within this box (the one every implementation uses)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _shift_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _offset(lat: float, lng: float) -> tuple[float, float]:
    """The GCJ-02 shift (degrees of latitude, longitude) at a WGS-84 point."""
    d_lat = _shift_lat(lng - 105.0, lat - 35.0)
    d_lng = _shift_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((A * (1 - EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (A / sqrt_magic * math.cos(rad) * math.pi)
    return d_lat, d_lng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _offset(lat, lng)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is (lat, lng): iterate w ← w − (f(w) − g)."""
    if out_of_china(lat, lng):
        return lat, lng
    w_lat, w_lng = lat, lng
    for _step in range(INVERSE_STEPS):
        g_lat, g_lng = wgs84_to_gcj02(w_lat, w_lng)
        e_lat, e_lng = g_lat - lat, g_lng - lng
        w_lat, w_lng = w_lat - e_lat, w_lng - e_lng
        if abs(e_lat) < INVERSE_TOLERANCE and abs(e_lng) < INVERSE_TOLERANCE:
            break
    return w_lat, w_lng


def to_wgs84(lat: float, lng: float, datum: str) -> tuple[float, float]:
    return gcj02_to_wgs84(lat, lng) if datum == Datum.GCJ02 else (lat, lng)


def from_wgs84(lat: float, lng: float, datum: str) -> tuple[float, float]:
    return wgs84_to_gcj02(lat, lng) if datum == Datum.GCJ02 else (lat, lng)


def stored(value: float) -> Decimal:
    """A degree as stored: 7 decimal places."""
    return Decimal(repr(value)).quantize(PLACES, rounding=ROUND_HALF_EVEN)
