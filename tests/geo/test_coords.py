"""The datum conversion, against published reference points: GCJ-02 is WGS-84 shifted by the
deterministic transform every open implementation uses; the inverse recovers the WGS-84 point."""

import pytest

from geo import coords

# (WGS-84 lat, lng, GCJ-02 lat, lng): the reference points of the open-source eviltransform
# test suite (Shanghai, Shenzhen, Beijing).
REFERENCE = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
]
# Tiananmen (WGS-84 39.915, 116.404), the example of the coordtransform library.
TIANANMEN = ((39.915, 116.404), (39.91640428150164, 116.41024449916938))
MICRO = 1e-6  # degrees: about 10 cm


@pytest.mark.parametrize(("wgs_lat", "wgs_lng", "gcj_lat", "gcj_lng"), REFERENCE)
def test_wgs84_to_gcj02_matches_the_reference(wgs_lat, wgs_lng, gcj_lat, gcj_lng):
    lat, lng = coords.wgs84_to_gcj02(wgs_lat, wgs_lng)
    assert lat == pytest.approx(gcj_lat, abs=1e-9)
    assert lng == pytest.approx(gcj_lng, abs=1e-9)


@pytest.mark.parametrize(("wgs_lat", "wgs_lng", "gcj_lat", "gcj_lng"), REFERENCE)
def test_gcj02_to_wgs84_recovers_the_reference(wgs_lat, wgs_lng, gcj_lat, gcj_lng):
    lat, lng = coords.gcj02_to_wgs84(gcj_lat, gcj_lng)
    assert lat == pytest.approx(wgs_lat, abs=MICRO / 10)
    assert lng == pytest.approx(wgs_lng, abs=MICRO / 10)


def test_tiananmen():
    (wgs, gcj) = TIANANMEN
    assert coords.wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)


def test_the_shift_in_xinyi_is_hundreds_of_metres_and_round_trips():
    lat, lng = coords.wgs84_to_gcj02(34.37, 118.35)
    # The offset is real (about 100–700 m), so typing GCJ-02 as WGS-84 would misplace a site.
    assert 0.0005 < abs(lat - 34.37) + abs(lng - 118.35) < 0.01
    back = coords.gcj02_to_wgs84(lat, lng)
    assert back == pytest.approx((34.37, 118.35), abs=1e-9)


def test_outside_china_nothing_is_shifted():
    assert coords.wgs84_to_gcj02(51.5007, -0.1246) == (51.5007, -0.1246)
    assert coords.gcj02_to_wgs84(51.5007, -0.1246) == (51.5007, -0.1246)
    assert coords.out_of_china(25.03, 150.0)


def test_datum_helpers_and_stored_precision():
    assert coords.to_wgs84(34.37, 118.35, coords.Datum.WGS84) == (34.37, 118.35)
    assert coords.from_wgs84(34.37, 118.35, coords.Datum.GCJ02) == coords.wgs84_to_gcj02(34.37, 118.35)
    assert str(coords.stored(34.123456789)) == "34.1234568"
