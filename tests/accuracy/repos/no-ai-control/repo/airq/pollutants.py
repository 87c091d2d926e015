"""Pollutant codes and the sensor channels that report them."""

# Ozone and nitrogen dioxide are reported per channel; o1..o3 are the three optical channels.
POLLUTANTS = {
    "o3": "ozone",
    "no2": "nitrogen dioxide",
    "pm25": "fine particulate matter",
}


def channel_offsets(raw: list[float]) -> tuple[float, float, float]:
    o1, o2, o3 = raw[0], raw[1] - raw[0], raw[2] - raw[1]
    return o1, o2, o3
